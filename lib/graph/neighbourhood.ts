/**
 * The node-centred graph: one node with its callers and its callees, each followed up to `depth`
 * hops (callers of callers, callees of callees), as detail pages link to it. Callers are followed
 * only upstream and callees only downstream, so a busy shared service does not pull in the whole
 * mesh through its other callers.
 */
import { appendTo } from "@/lib/listMap";
import { nodeId, type GraphResponse, type GraphType } from "./model";

export const MAX_NEIGHBOURHOOD_DEPTH = 5;

function reach(start: string, depth: number, next: ReadonlyMap<string, string[]>): Set<string> {
  const seen = new Set([start]);
  let frontier = [start];
  for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
    const following: string[] = [];
    for (const id of frontier) {
      for (const other of next.get(id) ?? []) {
        if (seen.has(other)) continue;
        seen.add(other);
        following.push(other);
      }
    }
    frontier = following;
  }
  return seen;
}

/**
 * `graph` cut down to `nodeId`'s neighbourhood; edges are kept between kept nodes. A node not in
 * the graph leaves nothing: the page then says the node had no traffic in the window.
 */
export function nodeNeighbourhood(graph: GraphResponse, nodeId: string, depth: number): GraphResponse {
  if (!graph.nodes.some((node) => node.id === nodeId)) return { ...graph, nodes: [], edges: [] };
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, string[]>();
  for (const edge of graph.edges) {
    appendTo(outgoing, edge.source, edge.target);
    appendTo(incoming, edge.target, edge.source);
  }
  const kept = new Set([...reach(nodeId, depth, incoming), ...reach(nodeId, depth, outgoing)]);
  return {
    ...graph,
    nodes: graph.nodes.filter((node) => kept.has(node.id)),
    edges: graph.edges.filter((edge) => kept.has(edge.source) && kept.has(edge.target)),
  };
}

/** What a detail page stands for on the graph: the node id and the graph type that draws it. */
const DETAIL_NODES: Record<"service" | "workload" | "app", { kind: "service" | "workload" | "app"; graphType: GraphType }> = {
  // A service is drawn between its callers and its versions, as in the versioned app graph.
  service: { kind: "service", graphType: "versionedApp" },
  workload: { kind: "workload", graphType: "workload" },
  app: { kind: "app", graphType: "app" },
};

/** The graph page centred on a detail page's object (its URL parameters: lib/graph/pageState.ts). */
export function centredGraphHref(kind: keyof typeof DETAIL_NODES, namespace: string, name: string, depth = 1): string {
  const { kind: nodeKind, graphType } = DETAIL_NODES[kind];
  const query = new URLSearchParams({ namespaces: namespace, graphType, node: nodeId(nodeKind, namespace, name) });
  if (depth !== 1) query.set("depth", String(depth));
  return `/graph?${query.toString()}`;
}
