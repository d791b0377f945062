/**
 * Whether a connection between two proxies is Istio mutual TLS, from the server's
 * PeerAuthentication and the client's DestinationRule TLS settings.
 * https://istio.io/latest/docs/concepts/security/#peer-authentication
 * https://istio.io/latest/docs/concepts/security/#auto-mutual-tls
 */
import { labelsMatch, type MeshSnapshot, type Workload } from "./mesh";
import { inMesh } from "./ambient";
import type { PeerAuthenticationObject, TrafficPolicy } from "./mesh-schemas";

export type PeerAuthenticationMode = "STRICT" | "PERMISSIVE" | "DISABLE";

export type ConnectionOutcome =
  | { kind: "connected"; mutualTls: boolean }
  /** The server refused the connection: plaintext to STRICT, or Istio mTLS to a DISABLE server. */
  | { kind: "refused"; reason: string };

function modeOf(policy: PeerAuthenticationObject): PeerAuthenticationMode | undefined {
  const mode = policy.spec.mtls?.mode;
  if (mode === "STRICT" || mode === "PERMISSIVE" || mode === "DISABLE") return mode;
  // UNSET (or absent) inherits from the parent scope.
  return undefined;
}

function hasSelector(policy: PeerAuthenticationObject): boolean {
  return Object.keys(policy.spec.selector?.matchLabels ?? {}).length > 0;
}

/**
 * The effective peer authentication mode for a server workload: a workload-selector policy in
 * its namespace, else the namespace-wide policy, else the mesh-wide policy in the root
 * namespace, else PERMISSIVE. Among equals the oldest wins.
 */
export function effectivePeerAuthenticationMode(snapshot: MeshSnapshot, server: Workload): PeerAuthenticationMode {
  const inNamespace = (namespace: string) =>
    snapshot.peerAuthentications.filter((policy) => (policy.metadata.namespace ?? "default") === namespace);
  const byAge = (a: PeerAuthenticationObject, b: PeerAuthenticationObject) =>
    String(a.metadata.creationTimestamp ?? "").localeCompare(String(b.metadata.creationTimestamp ?? ""));

  const workloadPolicies = inNamespace(server.namespace)
    .filter((policy) => hasSelector(policy) && labelsMatch(policy.spec.selector?.matchLabels, server.labels))
    .sort(byAge);
  const namespacePolicies = inNamespace(server.namespace).filter((policy) => !hasSelector(policy)).sort(byAge);
  const meshPolicies = inNamespace(snapshot.rootNamespace).filter((policy) => !hasSelector(policy)).sort(byAge);

  for (const scope of [workloadPolicies, namespacePolicies, meshPolicies]) {
    const first = scope[0];
    if (!first) continue;
    const mode = modeOf(first);
    if (mode) return mode;
  }
  return "PERMISSIVE";
}

/**
 * What the client sidecar sends: a DestinationRule `tls.mode` decides when set; otherwise auto
 * mTLS sends Istio mTLS to servers that have a sidecar and are not DISABLE.
 */
export function clientSendsMutualTls(
  trafficPolicy: TrafficPolicy,
  server: Workload,
  serverMode: PeerAuthenticationMode,
): boolean {
  const tlsMode = trafficPolicy.tls?.mode;
  if (tlsMode === "ISTIO_MUTUAL") return true;
  if (tlsMode === "DISABLE" || tlsMode === "SIMPLE" || tlsMode === "MUTUAL") return false;
  return inMesh(server) && serverMode !== "DISABLE";
}

export function connectionOutcome(
  snapshot: MeshSnapshot,
  client: Workload | undefined,
  trafficPolicy: TrafficPolicy,
  server: Workload,
): ConnectionOutcome {
  // ztunnel terminates and originates HBONE mutual TLS for ambient pods, as a sidecar would.
  const serverMode = inMesh(server) ? effectivePeerAuthenticationMode(snapshot, server) : "DISABLE";
  // Without a client proxy (traffic from outside the mesh) nothing originates Istio mTLS.
  const mutualTls = inMesh(client) ? clientSendsMutualTls(trafficPolicy, server, serverMode) : false;
  if (serverMode === "STRICT" && !mutualTls) {
    return { kind: "refused", reason: `${server.key} requires mTLS (PeerAuthentication STRICT) but the client sends plaintext` };
  }
  if (!inMesh(server) && mutualTls) {
    return { kind: "refused", reason: `${server.key} has no sidecar but the client's DestinationRule sets ISTIO_MUTUAL` };
  }
  if (serverMode === "DISABLE" && mutualTls) {
    return { kind: "refused", reason: `${server.key} has mTLS DISABLEd but the client's DestinationRule sets ISTIO_MUTUAL` };
  }
  return { kind: "connected", mutualTls };
}
