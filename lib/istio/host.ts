/**
 * Host names in Istio configuration, resolved the way istiod resolves them (`ResolveShortnameToFQDN`
 * in istio/istio `pkg/config/model.go`, and the `hosts` field of
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService):
 *
 * - a short name (no dot) is relative to the namespace of the object that names it:
 *   `reviews` in a VirtualService in `bookinfo` is `reviews.bookinfo.svc.cluster.local`;
 * - a name containing a dot is already fully qualified and taken as written: `reviews.bookinfo`
 *   is NOT expanded, so it names no Kubernetes Service (Istio's docs warn about exactly this);
 * - `*` and IP addresses are taken as written;
 * - `*.example.com` matches every name ending in `.example.com`, `*` matches every name.
 *
 * The one owner of "does this host name that service" for validation, routing, the graph and the
 * pages. Pure and isomorphic.
 */

/** The DNS suffix of Kubernetes Services under Istio's default cluster domain `cluster.local`. */
export const CLUSTER_LOCAL_SUFFIX = "svc.cluster.local";

/** A Service, as the console refers to it. */
export interface ServiceRef {
  readonly namespace: string;
  readonly service: string;
}

/**
 * A host as written in an object of `namespace`, made fully qualified: `reviews` in `bookinfo` →
 * `reviews.bookinfo.svc.cluster.local`. Names with a dot, wildcards, IPv6 addresses (a colon) and
 * the empty name stay as written.
 */
export function toFqdn(host: string, namespace: string): string {
  if (host === "" || host.includes(".") || host.includes(":") || host.startsWith("*")) return host;
  return `${host}.${namespace}.${CLUSTER_LOCAL_SUFFIX}`;
}

/** The fully qualified name of a Kubernetes Service. */
export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.${CLUSTER_LOCAL_SUFFIX}`;
}

/** The Kubernetes namespace of a `name.namespace.svc.cluster.local` host, if it is one. */
export function namespaceOfServiceHost(fqdn: string): string | undefined {
  const suffix = `.${CLUSTER_LOCAL_SUFFIX}`;
  if (!fqdn.endsWith(suffix) || fqdn.startsWith("*")) return undefined;
  const parts = fqdn.slice(0, -suffix.length).split(".");
  return parts.length === 2 ? parts[1] : undefined;
}

/**
 * Whether `pattern` covers every name `host` stands for: equal names, `*` over everything,
 * `*.example.com` over `a.example.com`, `a.b.example.com` and the narrower `*.b.example.com`
 * (never over `example.com` itself). Both are fully qualified.
 */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith("*")) return false;
  const suffix = pattern.slice(1);
  if (host.startsWith("*")) return host.slice(1).endsWith(suffix);
  return host.endsWith(suffix);
}

/** Whether two fully qualified host names can stand for a common name. */
export function hostsIntersect(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

/**
 * Whether `host`, written in an object of `configNamespace`, is the service's own name once
 * resolved: `reviews` (in the service's namespace) or `reviews.bookinfo.svc.cluster.local`. A
 * wildcard names no one service; ask {@link hostAppliesToService} for that.
 */
export function namesService(host: string, configNamespace: string, service: ServiceRef): boolean {
  return toFqdn(host, configNamespace) === serviceFqdn(service.service, service.namespace);
}

/** Whether config for `host` (written in `configNamespace`) applies to the service: its name, or a wildcard over it. */
export function hostAppliesToService(host: string, configNamespace: string, service: ServiceRef): boolean {
  return hostCovers(toFqdn(host, configNamespace), serviceFqdn(service.service, service.namespace));
}

/** The hosts one config object names, as written, with the namespace they are relative to. */
export interface NamedHosts {
  /** The object's namespace; undefined when it has none, so it is relative to whatever service it is asked about. */
  readonly namespace: string | undefined;
  readonly hosts: readonly string[];
}

/**
 * Config objects by the service each could name, for asking "which objects name this service"
 * of every service in a large mesh without comparing every service with every object. The answer
 * for a service keeps the objects' order and holds every object that names its fully qualified
 * name, every object with a wildcard host, and every object without a namespace (its short names
 * depend on the service asked about). It is a superset: callers still apply their own rule
 * (namesService, hostAppliesToService) to what it returns, so the index changes no decision.
 */
export function indexByServiceHost<T>(items: readonly T[], hostsOf: (item: T) => NamedHosts): (service: ServiceRef) => T[] {
  const byFqdn = new Map<string, number[]>();
  const everyService: number[] = [];
  items.forEach((item, position) => {
    const { namespace, hosts } = hostsOf(item);
    const fqdns = namespace === undefined ? [] : new Set(hosts.map((host) => toFqdn(host, namespace)));
    if (namespace === undefined || [...fqdns].some((fqdn) => fqdn.startsWith("*"))) {
      everyService.push(position);
      return;
    }
    for (const fqdn of fqdns) {
      const positions = byFqdn.get(fqdn) ?? [];
      positions.push(position);
      byFqdn.set(fqdn, positions);
    }
  });
  return (service) => {
    const named = byFqdn.get(serviceFqdn(service.service, service.namespace)) ?? [];
    if (everyService.length === 0) return named.map((position) => items[position] as T);
    return [...new Set([...named, ...everyService])].sort((a, b) => a - b).map((position) => items[position] as T);
  };
}
