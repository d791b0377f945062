/**
 * The mesh configuration kinds the console reads, with the API coordinates it reads them at: Istio's
 * own kinds (v1 is served by Istio 1.22 and later for all of them) and the Kubernetes Gateway API
 * kinds Istio implements (v1 in Gateway API v1.6.1's standard channel, TCPRoute and TLSRoute
 * included).
 *
 * `kind` is the console's key for a kind (in URLs `/istio/<namespace>/<kind>/<name>`, filters and
 * links); `apiKind` is the `kind` field the objects themselves carry. They differ only where two
 * groups use the same name: Istio's `Gateway` keeps the key `Gateway`, the Gateway API's is
 * `K8sGateway`. `namespaced` is false for GatewayClass, the one cluster-scoped kind.
 */
export const ISTIO_KINDS = [
  { kind: "VirtualService", apiKind: "VirtualService", group: "networking.istio.io", version: "v1", plural: "virtualservices", namespaced: true },
  { kind: "DestinationRule", apiKind: "DestinationRule", group: "networking.istio.io", version: "v1", plural: "destinationrules", namespaced: true },
  { kind: "Gateway", apiKind: "Gateway", group: "networking.istio.io", version: "v1", plural: "gateways", namespaced: true },
  { kind: "ServiceEntry", apiKind: "ServiceEntry", group: "networking.istio.io", version: "v1", plural: "serviceentries", namespaced: true },
  { kind: "Sidecar", apiKind: "Sidecar", group: "networking.istio.io", version: "v1", plural: "sidecars", namespaced: true },
  { kind: "WorkloadEntry", apiKind: "WorkloadEntry", group: "networking.istio.io", version: "v1", plural: "workloadentries", namespaced: true },
  { kind: "PeerAuthentication", apiKind: "PeerAuthentication", group: "security.istio.io", version: "v1", plural: "peerauthentications", namespaced: true },
  { kind: "AuthorizationPolicy", apiKind: "AuthorizationPolicy", group: "security.istio.io", version: "v1", plural: "authorizationpolicies", namespaced: true },
  { kind: "RequestAuthentication", apiKind: "RequestAuthentication", group: "security.istio.io", version: "v1", plural: "requestauthentications", namespaced: true },
  { kind: "GatewayClass", apiKind: "GatewayClass", group: "gateway.networking.k8s.io", version: "v1", plural: "gatewayclasses", namespaced: false },
  { kind: "K8sGateway", apiKind: "Gateway", group: "gateway.networking.k8s.io", version: "v1", plural: "gateways", namespaced: true },
  { kind: "HTTPRoute", apiKind: "HTTPRoute", group: "gateway.networking.k8s.io", version: "v1", plural: "httproutes", namespaced: true },
  { kind: "GRPCRoute", apiKind: "GRPCRoute", group: "gateway.networking.k8s.io", version: "v1", plural: "grpcroutes", namespaced: true },
  { kind: "ReferenceGrant", apiKind: "ReferenceGrant", group: "gateway.networking.k8s.io", version: "v1", plural: "referencegrants", namespaced: true },
  { kind: "TLSRoute", apiKind: "TLSRoute", group: "gateway.networking.k8s.io", version: "v1", plural: "tlsroutes", namespaced: true },
  { kind: "TCPRoute", apiKind: "TCPRoute", group: "gateway.networking.k8s.io", version: "v1", plural: "tcproutes", namespaced: true },
] as const;

export type IstioKind = (typeof ISTIO_KINDS)[number]["kind"];
export type IstioKindInfo = (typeof ISTIO_KINDS)[number];

/** The group of the Kubernetes Gateway API. */
export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

/** The kinds of Istio's own API groups (networking.istio.io, security.istio.io). */
export type IstioApiKind = Exclude<IstioKindInfo, { group: typeof GATEWAY_API_GROUP }>["kind"];
/** The Kubernetes Gateway API kinds, by their console keys. */
export type GatewayApiKind = Extract<IstioKindInfo, { group: typeof GATEWAY_API_GROUP }>["kind"];

export function isGatewayApiKind(kind: string): kind is GatewayApiKind {
  return ISTIO_KINDS.some((info) => info.kind === kind && info.group === GATEWAY_API_GROUP);
}

/**
 * The path segment that stands for "no namespace" in the console's namespaced URLs
 * (`/istio/_cluster/GatewayClass/istio`): it is not a valid namespace name, so it never collides with one.
 */
export const CLUSTER_SCOPE_SEGMENT = "_cluster";

/** How a kind is named to people: the two Gateways are told apart by their API. */
export function kindLabel(kind: string): string {
  if (kind === "K8sGateway") return "Gateway (Gateway API)";
  if (kind === "Gateway") return "Gateway (Istio)";
  return kind;
}

/** The namespace segment of a config page's URL: `_cluster` for a cluster-scoped object (namespace ""). */
export function namespaceSegment(namespace: string): string {
  return namespace === "" ? CLUSTER_SCOPE_SEGMENT : namespace;
}

/** The API coordinates of one kind, e.g. for `listNamespacedCustomObject({ ...istioKindInfo("VirtualService"), namespace })`. */
export function istioKindInfo<K extends IstioKind>(kind: K): Extract<IstioKindInfo, { kind: K }> {
  return ISTIO_KINDS.find((info) => info.kind === kind) as Extract<IstioKindInfo, { kind: K }>;
}

/** The console key of an object from its apiVersion and kind fields, or undefined for a kind the console does not read. */
export function consoleKindOf(apiVersion: unknown, apiKind: unknown): IstioKind | undefined {
  const group = typeof apiVersion === "string" ? apiVersion.split("/")[0] : undefined;
  return ISTIO_KINDS.find((info) => info.apiKind === apiKind && info.group === group)?.kind;
}
