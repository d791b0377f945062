/**
 * The split a service's routing configures, next to the split that was observed, from either API:
 * - VirtualService: on each edge from a service to one of its versions, the weight its route gives
 *   that version's subset. Subsets name versions through their DestinationRule labels
 *   (`version: v2`), as Istio resolves them
 *   (https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset); a version
 *   no weighted subset selects is configured at 0 %.
 * - HTTPRoute (GAMMA, Istio's canary convention): the route sends to one Service per version
 *   (`catalog-v2`), and the telemetry names that Service as the destination, so the configured
 *   share goes on each edge from a caller to a version Service. The split is read as the wizards
 *   read and write it (lib/routing/httpRoute.ts), so the graph and the sliders agree.
 */
import type { GraphEdge } from "@/lib/graph/model";
import { indexByServiceHost } from "@/lib/istio/host";
import { destinationRuleSchema, subsetVersions, type DestinationRule } from "@/lib/istio/destinationRule";
import { onceParsed } from "@/lib/onceParsed";
import { findServiceHttpRoute, httpRouteWeights, versionServiceName } from "@/lib/routing/httpRoute";
import { configuredSplits } from "@/server/routing/configuredWeights";
import { parseHttpRoutes } from "@/server/routing/httpRouteObjects";
import type { TrafficMap } from "../trafficMap";

export interface RoutingObjects {
  virtualServices: readonly unknown[];
  destinationRules: readonly unknown[];
  /** Gateway API HTTPRoutes of the namespaces (none when the cluster does not serve them). */
  httpRoutes?: readonly unknown[];
}

/**
 * Configured percent per version Service ("namespace/catalog-v2") of every Service that a mesh
 * HTTPRoute splits across its version Services; a Service routed by no such route is absent.
 */
export function configuredVersionServiceSplits(httpRoutes: readonly unknown[]): Map<string, number> {
  const routes = parseHttpRoutes(httpRoutes);
  const splits = new Map<string, number>();
  for (const route of routes) {
    const routeNamespace = route.metadata.namespace ?? "";
    for (const parent of route.spec.parentRefs ?? []) {
      if (parent.group !== "" || parent.kind !== "Service") continue;
      const ref = { namespace: parent.namespace ?? routeNamespace, service: parent.name };
      // Only the route that governs the Service (the wizards' choice when several name it).
      if (findServiceHttpRoute(routes, ref) !== route) continue;
      const split = httpRouteWeights(route, ref);
      for (const [version, percent] of Object.entries(split ?? {})) splits.set(`${ref.namespace}/${versionServiceName(ref.service, version)}`, percent);
    }
  }
  return splits;
}

const parseDestinationRule = onceParsed(destinationRuleSchema);

/** The namespace's DestinationRules that parse; one malformed object must not hide the others' subsets. */
function parsedDestinationRules(raw: readonly unknown[]): DestinationRule[] {
  return raw.flatMap((item) => {
    const rule = parseDestinationRule(item);
    return rule.success ? [rule.data] : [];
  });
}

/**
 * Configured percent per version of any service, or null when no weighted route splits it by
 * subset. The objects are parsed and indexed by host once, then asked about each service.
 */
export function configuredVersionSplits(routing: RoutingObjects): (namespace: string, service: string) => Map<string, number> | null {
  const splitOf = configuredSplits(routing.virtualServices);
  const rulesFor = indexByServiceHost(parsedDestinationRules(routing.destinationRules), (rule) => ({ namespace: rule.metadata.namespace, hosts: [rule.spec.host] }));
  return (namespace, service) => {
    const ref = { namespace, service };
    const split = splitOf(ref);
    if (!split) return null;
    const versions = subsetVersions(rulesFor(ref), ref);
    const byVersion = new Map<string, number>();
    for (const [subset, percent] of Object.entries(split)) {
      const version = versions.get(subset);
      if (version) byVersion.set(version, (byVersion.get(version) ?? 0) + percent);
    }
    return byVersion.size > 0 ? byVersion : null;
  };
}

export function appendConfiguredWeights(map: TrafficMap, routing: RoutingObjects): TrafficMap {
  const splits = new Map<string, Map<string, number> | null>();
  const versionSplitOf = configuredVersionSplits(routing);
  const versionServiceSplits = configuredVersionServiceSplits(routing.httpRoutes ?? []);
  const edges = new Map<string, GraphEdge>();
  for (const [id, edge] of map.edges) {
    const source = map.nodes.get(edge.source);
    const target = map.nodes.get(edge.target);
    const routed = target?.kind === "service" && edge.protocol !== "tcp" ? versionServiceSplits.get(`${target.namespace}/${target.name}`) : undefined;
    if (routed !== undefined) {
      edges.set(id, { ...edge, configuredPercent: routed });
      continue;
    }
    if (source?.kind !== "service" || !target?.version || edge.protocol === "tcp") {
      edges.set(id, edge);
      continue;
    }
    const key = `${source.namespace}/${source.name}`;
    if (!splits.has(key)) splits.set(key, versionSplitOf(source.namespace, source.name));
    const split = splits.get(key);
    edges.set(id, split ? { ...edge, configuredPercent: split.get(target.version) ?? 0 } : edge);
  }
  return { ...map, edges };
}
