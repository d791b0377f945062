import { allowedNamespaces } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { rolloutSummaries } from "@/server/rollouts";

export const dynamic = "force-dynamic";

/** Every stored rollout in the namespaces the person may read, newest first. */
export const GET = apiRoute("/api/rollouts", async () => {
  const allowed = await allowedNamespaces();
  const rollouts = await rolloutSummaries((namespace) => allowed.all || allowed.namespaces.has(namespace));
  return Response.json({ rollouts }, { headers: { "cache-control": "no-store" } });
});
