/**
 * Host names as Istio reads them (https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService):
 * a short name is relative to the namespace of the object that names it, a name containing a dot is
 * taken as written, and a leading `*` is a wildcard over a DNS suffix.
 */

export const clusterLocalSuffix = "svc.cluster.local";

/** `reviews` in namespace `bookinfo` → `reviews.bookinfo.svc.cluster.local`; wildcards and dotted names stay as written. */
export function toFqdn(host: string, namespace: string): string {
  if (host.startsWith("*") || host.includes(".")) return host;
  return `${host}.${namespace}.${clusterLocalSuffix}`;
}

export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.${clusterLocalSuffix}`;
}

/** The Kubernetes namespace of a `name.namespace.svc.cluster.local` host, if it is one. */
export function namespaceOfServiceHost(fqdn: string): string | undefined {
  const suffix = `.${clusterLocalSuffix}`;
  if (!fqdn.endsWith(suffix) || fqdn.startsWith("*")) return undefined;
  const parts = fqdn.slice(0, -suffix.length).split(".");
  return parts.length === 2 ? parts[1] : undefined;
}

/** Whether `pattern` covers every name `host` stands for (`*.example.com` covers `a.example.com` and `*.b.example.com`). */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith("*")) return false;
  const suffix = pattern.slice(1);
  if (host.startsWith("*")) return host.slice(1).endsWith(suffix);
  return host.endsWith(suffix);
}

/** Whether two host names can stand for a common name. */
export function hostsIntersect(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

/**
 * Whether an object in `ownNamespace` exported with `exportTo` is visible from `viewerNamespace`.
 * `*` is every namespace, `.` the object's own, `~` none, anything else a namespace name
 * (https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService-export_to).
 */
export function isExportedTo(exportTo: readonly string[], ownNamespace: string, viewerNamespace: string): boolean {
  for (const entry of exportTo) {
    if (entry === "*") return true;
    if (entry === "." && ownNamespace === viewerNamespace) return true;
    if (entry === viewerNamespace) return true;
  }
  return false;
}

/** The namespaces an export list names explicitly, or undefined when it reaches every namespace. */
export function explicitExportNamespaces(exportTo: readonly string[], ownNamespace: string): string[] | undefined {
  if (exportTo.length === 0 || exportTo.includes("*")) return undefined;
  return [...new Set(exportTo.filter((entry) => entry !== "~").map((entry) => (entry === "." ? ownNamespace : entry)))];
}

/** Whether two export lists share a namespace where both objects are visible. */
export function exportsOverlap(a: readonly string[], aNamespace: string, b: readonly string[], bNamespace: string): boolean {
  const aSet = explicitExportNamespaces(a, aNamespace);
  const bSet = explicitExportNamespaces(b, bNamespace);
  if (!aSet) return bSet ? bSet.length > 0 : !b.includes("~");
  if (!bSet) return aSet.length > 0;
  return aSet.some((ns) => bSet.includes(ns));
}

/** A Service's `networking.istio.io/exportTo` annotation: comma-separated namespaces. */
export function parseExportToAnnotation(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length > 0 ? entries : undefined;
}
