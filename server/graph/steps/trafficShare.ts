/**
 * Each edge's share of its source's outbound traffic, in percent: requests for HTTP and gRPC edges,
 * bytes for TCP edges (the two do not add up to one total). This is what shows a traffic split,
 * e.g. reviews v1/v2/v3 each taking a third.
 */
import type { GraphEdge } from "@/lib/graph/model";
import type { TrafficMap } from "../trafficMap";

const amount = (edge: GraphEdge) => (edge.protocol === "tcp" ? edge.tcpBytesPerSecond : edge.rps);
const family = (edge: GraphEdge) => `${edge.source}|${edge.protocol === "tcp" ? "tcp" : "requests"}`;

export function appendTrafficShare(map: TrafficMap): TrafficMap {
  const totals = new Map<string, number>();
  for (const edge of map.edges.values()) totals.set(family(edge), (totals.get(family(edge)) ?? 0) + amount(edge));
  const edges = new Map<string, GraphEdge>();
  for (const [id, edge] of map.edges) {
    const total = totals.get(family(edge)) ?? 0;
    edges.set(id, { ...edge, percentOfSource: total > 0 ? (amount(edge) / total) * 100 : 0 });
  }
  return { ...map, edges };
}
