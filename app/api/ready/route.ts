import { consoleReadiness } from "@/server/health";
import { apiRoute } from "@/server/http/apiRoute";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/ready", async () => {
  const readiness = await consoleReadiness();
  return Response.json(readiness, { status: readiness.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
});
