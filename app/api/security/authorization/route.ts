import { z } from "zod";
import { authorizationChangeSchema, authorizationGranularitySchema } from "@/lib/api/security";
import { namespaceNameSchema, objectNameSchema } from "@/lib/kubeNames";
import { TIME_WINDOWS } from "@/lib/timeWindows";
import { personPrometheus } from "@/server/auth/namespaceAccess";
import { getConfig } from "@/server/config";
import { apiRoute } from "@/server/http/apiRoute";
import { jsonBody, mutationRoute } from "@/server/http/mutations";
import { kube } from "@/server/kube";
import { prometheus } from "@/server/prometheus";
import { authorizationState, changeAuthorization, type AuthorizationDeps } from "@/server/security/authorization";

export const dynamic = "force-dynamic";

const ROUTE = "/api/security/authorization";

const querySchema = z.object({
  namespace: namespaceNameSchema,
  workload: objectNameSchema,
  window: z.enum(TIME_WINDOWS).default("10m"),
  granularity: authorizationGranularitySchema.default("principals"),
});

function deps(): AuthorizationDeps {
  return { clients: kube(), prometheus: personPrometheus(prometheus()), viewOnly: getConfig().viewOnly };
}

/** GET ?namespace=&workload=&window=&granularity=principals|namespaces: the ALLOW policy proposed from the window's callers, with its preview. */
export const GET = apiRoute(ROUTE, async (request) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await authorizationState(deps(), query), { headers: { "cache-control": "no-store" } });
});

/** PUT { action: "apply", …, dryRun } or { action: "rollback", … }: through the one write path, a dry run first. */
export const PUT = mutationRoute(ROUTE, async (request) => {
  const change = await jsonBody(request, authorizationChangeSchema);
  return Response.json(await changeAuthorization(deps(), change), { headers: { "cache-control": "no-store" } });
});
