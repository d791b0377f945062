/**
 * The split a service's VirtualService configures, next to the split that was observed: on each
 * edge from a service to one of its versions, the weight its route gives that version's subset.
 * Subsets name versions through their DestinationRule labels (`version: v2`), as Istio resolves
 * them (https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset); a
 * version no weighted subset selects is configured at 0 %.
 */
import type { GraphEdge } from "@/lib/graph/model";
import { destinationRuleSchema, subsetVersions, type DestinationRule } from "@/lib/istio/destinationRule";
import { configuredSplit } from "@/server/routing/configuredWeights";
import type { TrafficMap } from "../trafficMap";

export interface RoutingObjects {
  virtualServices: readonly unknown[];
  destinationRules: readonly unknown[];
}

/** The namespace's DestinationRules that parse; one malformed object must not hide the others' subsets. */
function parsedDestinationRules(raw: readonly unknown[]): DestinationRule[] {
  return raw.flatMap((item) => {
    const rule = destinationRuleSchema.safeParse(item);
    return rule.success ? [rule.data] : [];
  });
}

/** Configured percent per version of a service, or null when no weighted route splits it by subset. */
export function configuredVersionSplit(routing: RoutingObjects, namespace: string, service: string): Map<string, number> | null {
  const split = configuredSplit(routing.virtualServices, namespace, service);
  if (!split) return null;
  const versions = subsetVersions(parsedDestinationRules(routing.destinationRules), { namespace, service });
  const byVersion = new Map<string, number>();
  for (const [subset, percent] of Object.entries(split)) {
    const version = versions.get(subset);
    if (version) byVersion.set(version, (byVersion.get(version) ?? 0) + percent);
  }
  return byVersion.size > 0 ? byVersion : null;
}

export function appendConfiguredWeights(map: TrafficMap, routing: RoutingObjects): TrafficMap {
  const splits = new Map<string, Map<string, number> | null>();
  const edges = new Map<string, GraphEdge>();
  for (const [id, edge] of map.edges) {
    const source = map.nodes.get(edge.source);
    const target = map.nodes.get(edge.target);
    if (source?.kind !== "service" || !target?.version || edge.protocol === "tcp") {
      edges.set(id, edge);
      continue;
    }
    const key = `${source.namespace}/${source.name}`;
    if (!splits.has(key)) splits.set(key, configuredVersionSplit(routing, source.namespace, source.name));
    const split = splits.get(key);
    edges.set(id, split ? { ...edge, configuredPercent: split.get(target.version) ?? 0 } : edge);
  }
  return { ...map, edges };
}
