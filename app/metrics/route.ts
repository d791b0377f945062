import { apiRoute } from "@/server/http/apiRoute";
import { consoleMetrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/metrics", async () => {
  const { registry } = consoleMetrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
});
