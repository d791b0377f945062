import { z } from "zod";
import { serviceRoutePattern } from "@/lib/routing/wizards";
import { mutationRoute } from "@/server/http/mutations";
import { removeConsoleRouting, routingState } from "@/server/routing";
import { routingDeps, serviceReadRoute, serviceRefOf, type ServiceRouteContext } from "@/server/routing/http";

export const dynamic = "force-dynamic";

const ROUTE = "routing";
const removeQuerySchema = z.object({ resourceVersion: z.string().max(64).optional(), destinationRuleResourceVersion: z.string().max(64).optional(), generation: z.coerce.number().int().min(0).optional(), dryRun: z.enum(["true", "false"]).optional() });

/** The same state the traffic-shifting wizard opens with. */
export const GET = serviceReadRoute(ROUTE, (_request, ref, deps) => routingState(deps, ref));

/** Deletes only what the console created; `?resourceVersion=&destinationRuleResourceVersion=&dryRun=true` as for the other writes. */
export const DELETE = mutationRoute(serviceRoutePattern(ROUTE), async (request, context: ServiceRouteContext) => {
  const ref = await serviceRefOf(context);
  const query = removeQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await removeConsoleRouting(routingDeps(), ref, { ...query, dryRun: query.dryRun === "true" }));
});
