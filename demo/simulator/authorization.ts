/**
 * AuthorizationPolicy enforcement at the server-side proxy, as Envoy's RBAC HTTP filter does it:
 * the decision is the console's one evaluator (lib/istio/authorizationPolicy.ts), so the demo's
 * 403s and the console's "would be denied" marks cannot disagree.
 *
 * What a denial looks like (envoyproxy/envoy source/extensions/filters/http/rbac/rbac_filter.cc):
 * the filter answers itself with `403 "RBAC: access denied"` and response code details
 * `rbac_access_denied_matched_policy[<policy id>]` (`none` when no ALLOW policy matched). It sets
 * no response flag: Envoy's flag table (source/common/stream_info/utility.h) has none for RBAC, so
 * Istio's metrics carry response_code="403", response_flags="-". Istio names the Envoy policy
 * `ns[<namespace>]-policy[<name>]-rule[<index>]`.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/rbac_filter
 * https://istio.io/latest/docs/ops/common-problems/security-issues/#authorization-is-too-restrictive-or-permissive
 */
import { authorizationDecision, type PolicyRef } from "@/lib/istio/authorizationPolicy";
import { servicesOfWorkload, type MeshSnapshot, type Workload } from "./mesh";

/** What the RBAC filter's local reply carries. */
export const RBAC_DENIED_STATUS = 403;
/** Envoy sets no response flag for an RBAC denial. */
export const RBAC_DENIED_FLAGS = "-";
/** The local reply's body, `RBAC: access denied`: what access logs count as bytes sent. */
export const RBAC_DENIED_BODY_BYTES = "RBAC: access denied".length;

export type AuthorizationOutcome = { allowed: true } | { allowed: false; responseCodeDetails: string; reason: string };

/** The request as the server proxy sees it. */
export interface InboundRequest {
  method: string;
  path: string;
  /** The port the request arrived on. */
  port: number;
}

/** Istio's workload identity, without the `spiffe://` scheme, as AuthorizationPolicy `principals` name it. */
export function principalOf(workload: Pick<Workload, "namespace" | "serviceAccount">): string {
  return `cluster.local/ns/${workload.namespace}/sa/${workload.serviceAccount}`;
}

/**
 * `rbac_access_denied_matched_policy[ns[N]-policy[P]-rule[R]]`, or `[none]` when no ALLOW policy
 * matched. The evaluator names the matched rule.
 */
export function rbacResponseDetails(policy: PolicyRef | undefined): string {
  const id = policy ? `ns[${policy.namespace}]-policy[${policy.name}]-rule[${policy.rule ?? 0}]` : "none";
  return `rbac_access_denied_matched_policy[${id}]`;
}

/**
 * Whether `server`'s proxy lets the request through. The caller's principal and namespace come
 * from its mTLS certificate, so a plaintext caller (or one outside the mesh) has neither; a server
 * without a proxy enforces nothing.
 */
export function authorizeInbound(
  snapshot: MeshSnapshot,
  source: Workload | undefined,
  server: Workload,
  mutualTls: boolean,
  request: InboundRequest,
): AuthorizationOutcome {
  if (!server.hasProxy || snapshot.authorizationPolicies.length === 0) return { allowed: true };
  const peer = mutualTls && source?.hasProxy ? source : undefined;
  const services = servicesOfWorkload(snapshot, server).map((service) => service.name);
  const decision = authorizationDecision(snapshot.authorizationPolicies, { namespace: server.namespace, labels: server.labels, services }, {
    ...(peer ? { sourcePrincipal: principalOf(peer), sourceNamespace: peer.namespace } : {}),
    method: request.method,
    path: request.path,
    port: request.port,
  });
  if (decision.allowed) return { allowed: true };
  return { allowed: false, responseCodeDetails: rbacResponseDetails(decision.policy), reason: decision.reason };
}
