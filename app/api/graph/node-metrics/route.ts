import { assertEveryNamespaceAccess, assertNamespaceAccess } from "@/server/auth/namespaceAccess";
import { loadNodeMetrics, parseNodeMetricsRequest } from "@/server/graph/nodeMetrics";
import { apiRoute } from "@/server/http/apiRoute";
import { prometheus } from "@/server/prometheus";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/graph/node-metrics", async (request) => {
  const nodeRequest = parseNodeMetricsRequest(new URL(request.url));
  // A node outside the mesh has no namespace: its figures sum up callers from every namespace.
  if (nodeRequest.namespace) await assertNamespaceAccess(nodeRequest.namespace);
  else await assertEveryNamespaceAccess("figures of hosts outside the mesh");
  const metrics = await loadNodeMetrics(nodeRequest, prometheus(), Math.floor(Date.now() / 1000));
  return Response.json(metrics, { headers: { "cache-control": "no-store" } });
});
