import { personPrometheus } from "@/server/auth/namespaceAccess";
import { loadNodeMetrics, parseNodeMetricsRequest } from "@/server/graph/nodeMetrics";
import { apiRoute } from "@/server/http/apiRoute";
import { prometheus } from "@/server/prometheus";

export const dynamic = "force-dynamic";

/** `?kind=&namespace=&name=&version=&window=&namespaces=`: see server/graph/nodeMetrics.ts for what `namespaces` (the graph's) limits. */
export const GET = apiRoute("/api/graph/node-metrics", async (request) => {
  const nodeRequest = parseNodeMetricsRequest(new URL(request.url));
  // Who may read which figures follows from the queries themselves (server/auth/namespaceAccess.ts).
  const metrics = await loadNodeMetrics(nodeRequest, { figures: personPrometheus(prometheus()), shared: prometheus() }, Math.floor(Date.now() / 1000));
  return Response.json(metrics, { headers: { "cache-control": "no-store" } });
});
