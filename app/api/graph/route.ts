import { buildGraph, graphQueryTexts, parseGraphRequest } from "@/server/graph";
import { graphViewResponse, needsView, parseGraphViewRequest } from "@/server/graph/graphView";
import { meshInventory } from "@/server/graph/inventory";
import { GRAPH_REUSE_MS, shareGraphBuilds, sharedBodyResponse } from "@/server/graph/sharedBuilds";
import { assertMayReadQueries, authorizedNamespaces } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { prefersGzippedJson } from "@/server/http/gzippedJson";
import { GZIPPED_JSON } from "@/lib/gzippedJson";
import { prometheus } from "@/server/prometheus";

export const dynamic = "force-dynamic";

const nowSeconds = () => Math.floor(Date.now() / 1000);

const graphs = shareGraphBuilds((graphRequest) => buildGraph(graphRequest, { prometheus: prometheus(), inventory: meshInventory, nowSeconds }), { reuseMs: GRAPH_REUSE_MS });

export const GET = apiRoute("/api/graph", async (request) => {
  const url = new URL(request.url);
  const graphRequest = parseGraphRequest(url, nowSeconds());
  // A node-centred graph or an export (`node=`, `depth=`, `format=json|dot`) is cut from the same shared build.
  const view = parseGraphViewRequest(url);
  // Builds are shared by every viewer and read what knows no RBAC, so each request is checked
  // before it joins one, for what the build reads: the inventory's namespaces in the console's
  // watch caches, and the namespaces the PromQL it sends is pinned to.
  await authorizedNamespaces(graphRequest.namespaces);
  await assertMayReadQueries(await graphQueryTexts(graphRequest, prometheus()));
  const graph = await graphs(graphRequest);
  if (needsView(view)) return graphViewResponse(graph.body, view);
  if (!prefersGzippedJson(request)) return sharedBodyResponse(graph.body, { "content-type": "application/json", "cache-control": "no-store", vary: "Accept" });
  // no-transform: already compressed, once for every viewer; nothing on the way should compress it again.
  return sharedBodyResponse(await graph.gzipped(), { "content-type": GZIPPED_JSON, "cache-control": "no-store, no-transform", vary: "Accept" });
});
