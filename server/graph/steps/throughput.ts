/**
 * HTTP/gRPC throughput per edge: request plus response body bytes per second (Istio's
 * istio_request_bytes and istio_response_bytes histograms' sums). TCP edges already carry bytes.
 */
import type { GraphEdge } from "@/lib/graph/model";
import type { VectorSample } from "@/server/prometheus/responses";
import { sampleValue, trafficEdgeIds, type TrafficMap } from "../trafficMap";

export function appendThroughput(map: TrafficMap, throughput: readonly VectorSample[]): TrafficMap {
  const bytes = new Map<string, number>();
  for (const sample of throughput) {
    for (const id of trafficEdgeIds(sample.metric, map.context)) bytes.set(id, (bytes.get(id) ?? 0) + sampleValue(sample));
  }
  const edges = new Map<string, GraphEdge>();
  for (const [id, edge] of map.edges) edges.set(id, edge.protocol === "tcp" ? edge : { ...edge, throughputBytesPerSecond: bytes.get(id) ?? 0 });
  return { ...map, edges };
}
