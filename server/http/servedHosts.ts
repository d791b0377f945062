/**
 * Which names the console answers to, against DNS rebinding: a page on evil.example whose DNS name
 * is rebound to 127.0.0.1 becomes same-origin with a console listening there, and could read it and
 * (setting the console's custom header, which is then same-origin) change the mesh with the
 * console's identity. The browser still sends the attacker's name in `Host`, so a console that
 * answers only to the names it is served as is out of reach.
 * https://en.wikipedia.org/wiki/DNS_rebinding and https://github.com/kubernetes/kubernetes/issues/71869
 *
 * Served as:
 *   - the loopback names `localhost`, `127.0.0.1` and `[::1]`, on any port: `mesh-console dashboard`
 *     and `kubectl port-forward` pick a local port of their own, and a rebound page can never have a
 *     loopback name as its host;
 *   - the listen address with the console's port, and, when it listens on every interface
 *     (0.0.0.0 or ::), each address of the machine's interfaces with the port (kubelet probes and
 *     Prometheus scrapes call a pod by its IP). An address is never the result of rebinding: only
 *     names are rebound;
 *   - each entry of MESH_CONSOLE_ALLOWED_HOSTS: `name` on any port, or `name:port` on that port
 *     alone, for a console behind a proxy or an Ingress.
 * Pure: the interface addresses are passed in.
 */
import { isLoopbackAddress, isWildcardAddress } from "./addresses";

export const ALLOWED_HOSTS_SETTING = "MESH_CONSOLE_ALLOWED_HOSTS";

export interface ServedHostsInput {
  listen: { address: string; port: number };
  allowedHosts: readonly string[];
  /** The machine's own addresses, used when the console listens on every interface. */
  interfaceAddresses: readonly string[];
}

export interface ServedHosts {
  /** Names accepted on any port. */
  readonly anyPort: ReadonlySet<string>;
  /** `name:port` pairs accepted on exactly that port. */
  readonly exact: ReadonlySet<string>;
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

/** `::1` → `[::1]`; names lower-cased, as browsers send them. */
function hostForm(address: string): string {
  const lower = address.toLowerCase();
  return lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower;
}

/** `name` or `name:port` (IPv6 in brackets) split, lower-cased; undefined when malformed. */
export function splitHost(value: string): { name: string; port?: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/.exec(value.trim().toLowerCase());
  if (!match) return undefined;
  const port = match[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { name: match[1] as string, port };
}

export function servedHosts(input: ServedHostsInput): ServedHosts {
  const anyPort = new Set(LOOPBACK_NAMES);
  const exact = new Set<string>();
  const { address, port } = input.listen;
  const ownAddresses = isWildcardAddress(address) ? input.interfaceAddresses : [address];
  for (const own of ownAddresses) if (!isLoopbackAddress(own)) exact.add(`${hostForm(own)}:${port}`);
  for (const entry of input.allowedHosts) {
    const host = splitHost(entry);
    if (!host) continue;
    if (host.port === undefined) anyPort.add(host.name);
    else exact.add(`${host.name}:${host.port}`);
  }
  return { anyPort, exact };
}

/** `Host` without a port means the scheme's default one. */
function withPort(host: { name: string; port?: number }, defaultPort: number): string {
  return `${host.name}:${host.port ?? defaultPort}`;
}

export function isServedHost(hostHeader: string | null, served: ServedHosts, defaultPort: number): boolean {
  const host = hostHeader ? splitHost(hostHeader) : undefined;
  if (!host) return false;
  return served.anyPort.has(host.name) || served.exact.has(withPort(host, defaultPort));
}

export function hostRefusalMessage(hostHeader: string | null): string {
  const named = hostHeader ? `as ${JSON.stringify(hostHeader)}` : "without a Host header";
  return `This console does not answer to requests addressed ${named}: it answers to localhost, 127.0.0.1, [::1], its listen address and the names in ${ALLOWED_HOSTS_SETTING}. If you reach it through a proxy or an Ingress under this name, add the name to ${ALLOWED_HOSTS_SETTING}.`;
}

/**
 * A change must come from a page of the console itself: when the browser says where the page
 * came from (`Origin`), that origin's host must be the one the request is addressed to, or a name
 * listed in MESH_CONSOLE_ALLOWED_HOSTS (a proxy that rewrites `Host`). An opaque origin (`null`,
 * sent from sandboxed frames and some redirects) is never the console's.
 */
export function originMatches(origin: string, hostHeader: string | null, allowedHosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  const defaultPort = url.protocol === "https:" ? 443 : 80;
  const originHost = splitHost(url.host);
  if (!originHost) return false;
  const originWithPort = withPort(originHost, defaultPort);
  const addressed = hostHeader ? splitHost(hostHeader) : undefined;
  if (addressed && withPort(addressed, defaultPort) === originWithPort) return true;
  return allowedHosts.some((entry) => {
    const allowed = splitHost(entry);
    return allowed !== undefined && allowed.name === originHost.name && (allowed.port === undefined || withPort(allowed, defaultPort) === originWithPort);
  });
}
