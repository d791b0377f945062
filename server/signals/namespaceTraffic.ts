/**
 * Inbound request rate per namespace over the window, for the overview's sparklines: one range
 * query for every namespace at once.
 */
import { rangeForWindow } from "@/lib/signals/range";
import type { TimeWindow } from "@/lib/timeWindows";
import type { PrometheusClient } from "@/server/prometheus/client";
import { alignSeries } from "./shape";
import { inboundSelectors } from "./summary";
import { rateOver } from "./queries";

export function namespaceTrafficQuery(namespaces: readonly string[], rateWindowSeconds: number): string {
  return `sum by (destination_workload_namespace) (${rateOver("istio_requests_total", inboundSelectors("workload", namespaces), rateWindowSeconds)})`;
}

export async function fetchNamespaceTraffic(client: PrometheusClient, namespaces: readonly string[], window: TimeWindow) {
  const range = rangeForWindow(window, Date.now() / 1000);
  const matrix = await client.range(namespaceTrafficQuery(namespaces, range.rateWindowSeconds), range);
  const series = alignSeries(matrix, range, (labels) => labels.destination_workload_namespace ?? "unknown", null);
  return { range, series: series.map((line) => ({ namespace: line.name, points: line.points })) };
}
