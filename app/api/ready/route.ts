import { openSession } from "@/server/auth/session";
import { getConfig } from "@/server/config";
import { consoleReadiness, readinessForVisitor } from "@/server/health";
import { apiRoute } from "@/server/http/apiRoute";

export const dynamic = "force-dynamic";

/**
 * 503 when not ready. The reasons (addresses, versions, upstream errors) go to those who may use
 * the console: anyone in anonymous mode, a signed-in person with token sign-in; a probe without a
 * session learns only which check failed.
 */
export const GET = apiRoute("/api/ready", async (request) => {
  const readiness = await consoleReadiness();
  const mayReadDetails = getConfig().auth.mode === "anonymous" || (await openSession(request)).state === "signed-in";
  return Response.json(mayReadDetails ? readiness : readinessForVisitor(readiness), { status: readiness.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
});
