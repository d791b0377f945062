/**
 * AuthorizationPolicies on the graph, two ways:
 * - what happened: requests denied in the window (`deniedRps`), read from the requests the traffic
 *   map already holds, so it costs no query;
 * - what would happen: with the security display, each edge's callers (their mTLS principal, as
 *   the destination proxy reported it) checked against the policies now in the cluster by the
 *   console's one evaluator (lib/istio/authorizationPolicy.ts), the same one the demo enforces with.
 *
 * What a denial looks like in the metrics is server/telemetry/policyDenials.ts's to say.
 */
import { appliesToWorkload, authorizationDecision, type NormalizedAuthorizationPolicy } from "@/lib/istio/authorizationPolicy";
import type { GraphEdge, PolicyDenial } from "@/lib/graph/model";
import type { VectorSample } from "@/server/prometheus/responses";
import { isPolicyDenial } from "@/server/telemetry";
import type { InventoryWorkload } from "../inventory";
import { known, trafficEdgeIds, type TrafficMap } from "../trafficMap";

/** Each edge's rate of requests answered as a policy denial answers. */
export function appendDeniedRequests(map: TrafficMap): TrafficMap {
  const edges = new Map<string, GraphEdge>();
  for (const [id, edge] of map.edges) {
    const denied = (map.responses.edges.get(id) ?? []).filter(isPolicyDenial).reduce((sum, response) => sum + response.rate, 0);
    edges.set(id, denied > 0 ? { ...edge, deniedRps: denied } : edge);
  }
  return { ...map, edges };
}

export interface AuthorizationFacts {
  policies: readonly NormalizedAuthorizationPolicy[];
  workloads: readonly InventoryWorkload[];
}

const refName = (policy: { metadata: { namespace?: string; name: string } }) => `${policy.metadata.namespace ?? ""}/${policy.metadata.name}`;

/**
 * Marks the edges whose callers the current policies would deny at the destination workload.
 * `security` are the security display's destination-reported samples, grouped by source_principal.
 * The metrics carry no method or path, so a rule that needs them is read as not matching and the
 * mark says it is uncertain.
 */
export function appendPolicyDenials(map: TrafficMap, security: readonly VectorSample[], facts: AuthorizationFacts): TrafficMap {
  if (facts.policies.length === 0) return map;
  const workloads = new Map(facts.workloads.map((workload) => [`${workload.namespace}/${workload.name}`, workload]));
  const marks = new Map<string, PolicyDenial>();
  const decided = new Map<string, PolicyDenial | null>();
  for (const sample of security) {
    const labels = sample.metric;
    const workload = workloads.get(`${labels.destination_workload_namespace ?? ""}/${labels.destination_workload ?? ""}`);
    if (!workload) continue;
    const principal = known(labels.source_principal) ? labels.source_principal : undefined;
    const key = `${workload.namespace}/${workload.name}\u0000${principal ?? ""}\u0000${labels.destination_service_name ?? ""}`;
    let mark = decided.get(key);
    if (mark === undefined) {
      const target = { namespace: workload.namespace, labels: workload.labels, services: known(labels.destination_service_name) ? [labels.destination_service_name] : [] };
      const decision = authorizationDecision(facts.policies, target, principal ? { sourcePrincipal: principal } : {});
      const admitting = facts.policies.filter((policy) => policy.spec.action === "ALLOW" && appliesToWorkload(policy, target));
      mark = decision.allowed
        ? null
        : { policies: decision.policy ? [`${decision.policy.namespace}/${decision.policy.name}`] : admitting.map(refName), reason: decision.reason, uncertain: decision.uncertain === true };
      decided.set(key, mark);
    }
    if (!mark) continue;
    for (const id of trafficEdgeIds(labels, map.context)) {
      const previous = marks.get(id);
      // A certain denial says more than a guess; otherwise the first one found stays.
      if (!previous || (previous.uncertain && !mark.uncertain)) marks.set(id, mark);
    }
  }
  if (marks.size === 0) return map;
  const edges = new Map<string, GraphEdge>();
  for (const [id, edge] of map.edges) {
    const mark = marks.get(id);
    edges.set(id, mark ? { ...edge, policyDenial: mark } : edge);
  }
  return { ...map, edges };
}
