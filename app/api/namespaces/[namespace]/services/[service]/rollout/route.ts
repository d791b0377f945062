import { startRolloutSchema } from "@/lib/rollouts/requests";
import { serviceRoutePattern } from "@/lib/routing/wizards";
import { jsonBody, mutationRoute } from "@/server/http/mutations";
import { rolloutOf, startRollout } from "@/server/rollouts";
import { serviceReadRoute, serviceRefOf, type ServiceRouteContext } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** The service's rollout (plan, progress, timeline), or `{rollout: null}`. */
export const GET = serviceReadRoute("rollout", async (_request, ref) => ({ rollout: await rolloutOf(ref) }));

/** `{stable, canary, plan}`: writes the first step's weights and stores the rollout for the driver. */
export const POST = mutationRoute(serviceRoutePattern("rollout"), async (request, context: ServiceRouteContext) => {
  const ref = await serviceRefOf(context);
  const input = await jsonBody(request, startRolloutSchema);
  return Response.json({ rollout: await startRollout(ref, input) }, { status: 201, headers: { "cache-control": "no-store" } });
});
