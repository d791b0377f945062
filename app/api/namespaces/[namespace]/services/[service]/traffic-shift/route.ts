import { wizards } from "@/lib/routing/wizards";
import { applyTrafficShift, routingState } from "@/server/routing";
import { serviceReadRoute, wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** The service's subsets, configured weights, objects with their resourceVersions, history and write access. */
export const GET = serviceReadRoute(wizards.trafficShift.path, (_request, ref, deps) => routingState(deps, ref));

/** `{weights: {v1: 80, v2: 20}, resourceVersion?, destinationRuleResourceVersion?, dryRun?}` */
export const PUT = wizardRoute(wizards.trafficShift, applyTrafficShift);
