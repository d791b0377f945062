/**
 * The route a rollout moves, read and written only through the traffic wizards' owners
 * (server/routing): the same routing context, the same choice of API (VirtualService subsets or
 * HTTPRoute backends with version Services), and the same write path as the traffic-shifting
 * wizard (dry run first, resourceVersion on every replace, DestinationRule before VirtualService,
 * version Services before the HTTPRoute).
 */
import { httpRouteWeights } from "@/lib/routing/httpRoute";
import type { RoutingWriteResult } from "@/lib/routing/schemas";
import type { RolloutApi } from "@/lib/rollouts/record";
import { readRoutingContext } from "@/server/routing/serviceRouting";
import { configuredWeights } from "@/server/routing/virtualService";
import { applyTrafficShift, knownSubsets, routingApiOf, type RoutingDeps } from "@/server/routing/wizards";
import type { ServiceRef } from "@/server/routing/istioObjects";

export interface RouteFacts {
  api: RolloutApi;
  /** The route object; undefined when nothing routes the service yet (the first write creates it). */
  route: { kind: "VirtualService" | "HTTPRoute"; name: string; resourceVersion: string; generation: number | null } | undefined;
  /** The split the route carries now by version; null when it splits nothing by weight. */
  weights: Record<string, number> | null;
  /** Versions a weight may name. */
  versions: string[];
}

export async function readRouteFacts(deps: RoutingDeps, ref: ServiceRef): Promise<RouteFacts> {
  const context = await readRoutingContext(deps.clients, ref, { missingServiceStatus: 404 });
  const { api } = routingApiOf(deps, context);
  if (api === "gateway-api") {
    const route = context.httpRoute;
    return {
      api,
      route: route ? { kind: "HTTPRoute", name: route.metadata.name, resourceVersion: route.metadata.resourceVersion ?? "", generation: route.metadata.generation ?? null } : undefined,
      weights: httpRouteWeights(route, ref),
      versions: knownSubsets(context, "gateway-api"),
    };
  }
  const vs = context.virtualService;
  return {
    api,
    route: vs ? { kind: "VirtualService", name: vs.metadata.name, resourceVersion: vs.metadata.resourceVersion ?? "", generation: typeof vs.metadata.generation === "number" ? vs.metadata.generation : null } : undefined,
    weights: configuredWeights(vs, ref),
    versions: knownSubsets(context, "virtualservice"),
  };
}

/**
 * Writes a split through the traffic-shifting wizard's write. `seen` is the route as the caller
 * read it: a change made since is refused (409) rather than overwritten.
 */
export function writeWeights(deps: RoutingDeps, ref: ServiceRef, api: RolloutApi, weights: Record<string, number>, options: { dryRun: boolean; seen?: RouteFacts["route"] | null }): Promise<RoutingWriteResult> {
  const seen = options.seen;
  return applyTrafficShift(deps, ref, {
    weights,
    api,
    dryRun: options.dryRun,
    ...(seen === undefined ? {} : { resourceVersion: seen?.resourceVersion ?? "" }),
    ...(seen?.generation !== null && seen?.generation !== undefined && api === "gateway-api" ? { generation: seen.generation } : {}),
  });
}
