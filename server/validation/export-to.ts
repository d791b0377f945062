/**
 * Which namespaces see an Istio object, by its `exportTo` list or a Service's
 * `networking.istio.io/exportTo` annotation. Host names themselves resolve in lib/istio/host.ts.
 */

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
