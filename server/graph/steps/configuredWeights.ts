/**
 * The split a service's VirtualService configures, next to the split that was observed: on each
 * edge from a service to one of its versions, the weight its route gives that version's subset.
 * Subsets name versions through their DestinationRule labels (`version: v2`), as Istio resolves
 * them (https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset); a
 * version no weighted subset selects is configured at 0 %.
 */
import { z } from "zod";
import type { GraphEdge } from "@/lib/graph/model";
import { configuredSplit } from "@/server/routing/configuredWeights";
import type { TrafficMap } from "../trafficMap";

export interface RoutingObjects {
  virtualServices: readonly unknown[];
  destinationRules: readonly unknown[];
}

const destinationRuleSchema = z.object({
  metadata: z.object({ namespace: z.string().optional() }),
  spec: z.object({
    host: z.string(),
    subsets: z.array(z.object({ name: z.string(), labels: z.record(z.string(), z.string()).nullish() })).nullish(),
  }),
});

/** `reviews`, `reviews.bookinfo`, `reviews.bookinfo.svc.cluster.local`: the ways a DestinationRule in the service's namespace names it. */
function namesService(host: string, service: string, namespace: string): boolean {
  return host === service || host === `${service}.${namespace}` || host === `${service}.${namespace}.svc` || host === `${service}.${namespace}.svc.cluster.local`;
}

/** Version label of each subset of the service's DestinationRule. */
function subsetVersions(destinationRules: readonly unknown[], namespace: string, service: string): Map<string, string> {
  const versions = new Map<string, string>();
  for (const raw of destinationRules) {
    const rule = destinationRuleSchema.safeParse(raw);
    if (!rule.success || (rule.data.metadata.namespace ?? namespace) !== namespace || !namesService(rule.data.spec.host, service, namespace)) continue;
    for (const subset of rule.data.spec.subsets ?? []) {
      const version = subset.labels?.version;
      if (version) versions.set(subset.name, version);
    }
  }
  return versions;
}

/** Configured percent per version of a service, or null when no weighted route splits it by subset. */
export function configuredVersionSplit(routing: RoutingObjects, namespace: string, service: string): Map<string, number> | null {
  const split = configuredSplit(routing.virtualServices, namespace, service);
  if (!split) return null;
  const versions = subsetVersions(routing.destinationRules, namespace, service);
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
