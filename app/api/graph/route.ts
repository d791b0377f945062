import { buildGraph, parseGraphRequest } from "@/server/graph";
import { sharedMeshInventory } from "@/server/graph/inventory";
import { authorizedNamespaces } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { prometheus } from "@/server/prometheus";

export const dynamic = "force-dynamic";

const nowSeconds = () => Math.floor(Date.now() / 1000);

export const GET = apiRoute("/api/graph", async (request) => {
  const graphRequest = parseGraphRequest(new URL(request.url), nowSeconds());
  // Prometheus and the shared inventory know no RBAC: the person must be allowed every namespace asked for.
  await authorizedNamespaces(graphRequest.namespaces);
  const graph = await buildGraph(graphRequest, { prometheus: prometheus(), inventory: (namespaces) => sharedMeshInventory(namespaces), nowSeconds });
  return Response.json(graph, { headers: { "cache-control": "no-store" } });
});
