import { waypointEnrolmentInputSchema } from "@/lib/routing/ambient";
import { serviceRoutePattern } from "@/lib/routing/wizards";
import { jsonBody, mutationRoute } from "@/server/http/mutations";
import { enrolInWaypoint } from "@/server/routing/ambient";
import { routingDeps, serviceRefOf, type ServiceRouteContext } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** POST `{waypoint, resourceVersion, dryRun}`: sets the Service's `istio.io/use-waypoint` (a dry run by default). */
export const POST = mutationRoute(serviceRoutePattern("waypoint-enrolment"), async (request, context: ServiceRouteContext) => {
  const ref = await serviceRefOf(context);
  const input = await jsonBody(request, waypointEnrolmentInputSchema);
  return Response.json(await enrolInWaypoint(routingDeps(), ref, input), { headers: { "cache-control": "no-store" } });
});
