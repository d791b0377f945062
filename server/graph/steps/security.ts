/**
 * The share of each edge's traffic that used mutual TLS. Only the server-side proxy knows
 * (`connection_security_policy` is "unknown" in client reports), so this step reads
 * destination-reported samples; requests weigh HTTP/gRPC edges, bytes weigh TCP edges.
 */
import type { GraphEdge } from "@/lib/graph/model";
import type { VectorSample } from "@/server/prometheus/responses";
import { sampleValue, trafficEdgeIds, type TrafficMap } from "../trafficMap";

export function appendSecurity(map: TrafficMap, security: readonly VectorSample[]): TrafficMap {
  const shares = new Map<string, { mutual: number; total: number }>();
  for (const sample of security) {
    const policy = sample.metric.connection_security_policy;
    if (policy !== "mutual_tls" && policy !== "none") continue;
    const value = sampleValue(sample);
    for (const id of trafficEdgeIds(sample.metric, map.context)) {
      const entry = shares.get(id) ?? { mutual: 0, total: 0 };
      entry.total += value;
      if (policy === "mutual_tls") entry.mutual += value;
      shares.set(id, entry);
    }
  }
  const edges = new Map<string, GraphEdge>();
  for (const [id, edge] of map.edges) {
    const entry = shares.get(id);
    edges.set(id, { ...edge, mtlsShare: entry && entry.total > 0 ? entry.mutual / entry.total : null });
  }
  return { ...map, edges };
}
