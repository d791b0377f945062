import { rolloutCommandSchema } from "@/lib/rollouts/requests";
import { serviceRoutePattern } from "@/lib/routing/wizards";
import { jsonBody, mutationRoute } from "@/server/http/mutations";
import { commandRollout } from "@/server/rollouts";
import { serviceRefOf, type ServiceRouteContext } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** `{command: "pause" | "resume" | "abort" | "promote"}` or `{command: "skipTo", stepIndex}`, recorded with the person's name. */
export const POST = mutationRoute(serviceRoutePattern("rollout/command"), async (request, context: ServiceRouteContext) => {
  const ref = await serviceRefOf(context);
  const input = await jsonBody(request, rolloutCommandSchema);
  return Response.json({ rollout: await commandRollout(ref, input) }, { headers: { "cache-control": "no-store" } });
});
