import { loadNodeMetrics, parseNodeMetricsRequest } from "@/server/graph/nodeMetrics";
import { apiRoute } from "@/server/http/apiRoute";
import { prometheus } from "@/server/prometheus";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/graph/node-metrics", async (request) => {
  const nodeRequest = parseNodeMetricsRequest(new URL(request.url));
  const metrics = await loadNodeMetrics(nodeRequest, prometheus(), Math.floor(Date.now() / 1000));
  return Response.json(metrics, { headers: { "cache-control": "no-store" } });
});
