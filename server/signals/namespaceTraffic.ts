/**
 * Inbound request rate per namespace over the window, for the overview's sparklines: one range
 * query for every namespace at once, counted as every inbound figure is (server/telemetry).
 */
import { rangeForWindow } from "@/lib/signals/range";
import type { TimeWindow } from "@/lib/timeWindows";
import type { PrometheusClient } from "@/server/prometheus/client";
import { namespaceInboundScopes, RAW_METRICS, rateOver, sharedMetricNames, sumBy, type TelemetryMetricNames } from "@/server/telemetry";
import { alignSeries } from "./shape";

export function namespaceTrafficQuery(namespaces: readonly string[], rateWindowSeconds: number, metrics: TelemetryMetricNames = RAW_METRICS): string {
  return sumBy(["destination_workload_namespace"], rateOver(metrics.requests, namespaceInboundScopes("workload", namespaces), rateWindowSeconds));
}

/** `metrics`: the metric names to read; detected on the shared client (recording rules) when not given. */
export async function fetchNamespaceTraffic(client: PrometheusClient, namespaces: readonly string[], window: TimeWindow, metrics?: TelemetryMetricNames) {
  const range = rangeForWindow(window, Date.now() / 1000);
  const matrix = await client.range(namespaceTrafficQuery(namespaces, range.rateWindowSeconds, metrics ?? (await sharedMetricNames())), range);
  const series = alignSeries(matrix, range, (labels) => labels.destination_workload_namespace ?? "unknown", null);
  return { range, series: series.map((line) => ({ namespace: line.name, points: line.points })) };
}
