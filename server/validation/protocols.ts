/**
 * Istio's protocol selection for Service ports: `appProtocol`, else the port name's prefix up to the
 * first `-` (https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/).
 */

const knownProtocols = new Map<string, string>([
  ["http", "HTTP"],
  ["http2", "HTTP2"],
  ["https", "HTTPS"],
  ["grpc", "GRPC"],
  ["grpc-web", "GRPC-Web"],
  ["http_proxy", "HTTP_PROXY"],
  ["tcp", "TCP"],
  ["tls", "TLS"],
  ["udp", "UDP"],
  ["mongo", "Mongo"],
  ["redis", "Redis"],
  ["mysql", "MySQL"],
]);

export function parseProtocol(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return knownProtocols.get(value.toLowerCase());
}

/** The protocol a port name declares (`http-web` → HTTP), if any. */
export function protocolFromPortName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const lower = name.toLowerCase();
  if (lower === "grpc-web" || lower.startsWith("grpc-web-")) return "GRPC-Web";
  return parseProtocol(lower.split("-")[0]);
}

export interface PortLike {
  readonly name?: string;
  readonly appProtocol?: string;
  readonly protocol?: string;
}

/** The protocol Istio uses for a Service port; TCP stands in for "could not tell" when `fallback` is set. */
export function servicePortProtocol(port: PortLike): string | undefined {
  return parseProtocol(port.appProtocol) ?? protocolFromPortName(port.name);
}

/** Namespaces Kubernetes itself owns, which Istio's checks leave alone. */
export const kubernetesSystemNamespaces: ReadonlySet<string> = new Set(["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]);
