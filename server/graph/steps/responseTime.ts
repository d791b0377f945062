/**
 * Response time quantiles per edge, from histogram_quantile answers tagged with a `quantile` label.
 * An edge that aggregates several caller/destination pairs (the edge into a service node, or an app
 * edge over several workloads) gets the request-weighted mean of their quantiles: an approximation
 * (quantiles do not add up), kept because it costs no extra query and ranks edges correctly.
 */
import type { GraphEdge, ResponseTime } from "@/lib/graph/model";
import type { VectorSample } from "@/server/prometheus/responses";
import { edgeLabelKey, trafficEdgeIds, type TrafficMap } from "../trafficMap";

const QUANTILE_FIELDS: Record<string, keyof ResponseTime> = { "0.5": "p50", "0.95": "p95", "0.99": "p99" };

/** Used when a latency series has no matching request rate, so its quantile still counts a little. */
const MIN_WEIGHT = 1e-9;

export function appendResponseTime(map: TrafficMap, latency: readonly VectorSample[]): TrafficMap {
  const sums = new Map<string, Record<keyof ResponseTime, { weighted: number; weight: number }>>();
  for (const sample of latency) {
    const field = QUANTILE_FIELDS[sample.metric.quantile ?? ""];
    const value = Number(sample.value[1]);
    // histogram_quantile answers NaN when no request finished in the window.
    if (!field || !Number.isFinite(value)) continue;
    const weight = Math.max(map.context.requestRateByEdgeLabels.get(edgeLabelKey(sample.metric)) ?? 0, MIN_WEIGHT);
    for (const id of trafficEdgeIds(sample.metric, map.context)) {
      const entry = sums.get(id) ?? { p50: { weighted: 0, weight: 0 }, p95: { weighted: 0, weight: 0 }, p99: { weighted: 0, weight: 0 } };
      entry[field].weighted += value * weight;
      entry[field].weight += weight;
      sums.set(id, entry);
    }
  }
  const edges = new Map<string, GraphEdge>();
  for (const [id, edge] of map.edges) {
    const entry = sums.get(id);
    if (edge.protocol === "tcp" || !entry) {
      edges.set(id, edge);
      continue;
    }
    const mean = (field: keyof ResponseTime) => (entry[field].weight > 0 ? entry[field].weighted / entry[field].weight : null);
    edges.set(id, { ...edge, responseTime: { p50: mean("p50"), p95: mean("p95"), p99: mean("p99") } });
  }
  return { ...map, edges };
}
