import { trafficShiftInputSchema } from "@/lib/routing/schemas";
import { applyTrafficShift, routingState } from "@/server/routing";
import { serviceReadRoute, wizardRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

const ROUTE = "/api/namespaces/[namespace]/services/[service]/traffic-shift";

/** The service's subsets, configured weights, objects with their resourceVersions, history and write access. */
export const GET = serviceReadRoute(ROUTE, (_request, ref, deps) => routingState(deps, ref));

/** `{weights: {v1: 80, v2: 20}, resourceVersion?, destinationRuleResourceVersion?, dryRun?}` */
export const PUT = wizardRoute(ROUTE, trafficShiftInputSchema, applyTrafficShift);
