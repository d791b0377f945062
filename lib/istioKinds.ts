/**
 * The Istio configuration kinds the console reads, with the API coordinates it reads them at.
 * v1 is served by Istio 1.22 and later for all of these.
 */
export const ISTIO_KINDS = [
  { kind: "VirtualService", group: "networking.istio.io", version: "v1", plural: "virtualservices" },
  { kind: "DestinationRule", group: "networking.istio.io", version: "v1", plural: "destinationrules" },
  { kind: "Gateway", group: "networking.istio.io", version: "v1", plural: "gateways" },
  { kind: "ServiceEntry", group: "networking.istio.io", version: "v1", plural: "serviceentries" },
  { kind: "Sidecar", group: "networking.istio.io", version: "v1", plural: "sidecars" },
  { kind: "WorkloadEntry", group: "networking.istio.io", version: "v1", plural: "workloadentries" },
  { kind: "PeerAuthentication", group: "security.istio.io", version: "v1", plural: "peerauthentications" },
  { kind: "AuthorizationPolicy", group: "security.istio.io", version: "v1", plural: "authorizationpolicies" },
  { kind: "RequestAuthentication", group: "security.istio.io", version: "v1", plural: "requestauthentications" },
] as const;

export type IstioKind = (typeof ISTIO_KINDS)[number]["kind"];
export type IstioKindInfo = (typeof ISTIO_KINDS)[number];

/** The API coordinates of one kind, e.g. for `listNamespacedCustomObject({ ...istioKindInfo("VirtualService"), namespace })`. */
export function istioKindInfo<K extends IstioKind>(kind: K): Extract<IstioKindInfo, { kind: K }> {
  return ISTIO_KINDS.find((info) => info.kind === kind) as Extract<IstioKindInfo, { kind: K }>;
}
