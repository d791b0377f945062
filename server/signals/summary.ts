/**
 * Rates, error rates and p95 latency for every service, workload or app of a set of namespaces at
 * once: three instant queries whatever the number of namespaces or objects, so lists of a thousand
 * rows cost Prometheus what a list of ten does.
 */
import { healthFromErrorRate, type Health } from "@/lib/health";
import { durationSeconds, type TimeWindow } from "@/lib/timeWindows";
import type { PrometheusClient } from "@/server/prometheus/client";
import { selector, type LabelMatcher } from "@/server/prometheus/promql";
import { rateOver } from "./queries";

export type SummaryKind = "service" | "workload" | "app";

const GROUP_LABELS: Record<SummaryKind, { namespace: string; name: string }> = {
  service: { namespace: "destination_service_namespace", name: "destination_service_name" },
  workload: { namespace: "destination_workload_namespace", name: "destination_workload" },
  app: { namespace: "destination_workload_namespace", name: "destination_canonical_service" },
};

export interface TrafficSummary {
  requestRate: number;
  errorRate: number;
  /** null when there was no traffic to measure. */
  p95Ms: number | null;
  health: Health;
}

export function summaryKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function inboundSelectors(kind: SummaryKind, namespaces: readonly string[], extra: LabelMatcher[] = []): string[] {
  const scope: LabelMatcher[] = namespaces.length ? [{ label: GROUP_LABELS[kind].namespace, oneOf: namespaces }] : [];
  return [
    selector([{ label: "reporter", equals: "source" }, ...scope, ...extra]),
    selector([{ label: "reporter", equals: "destination" }, { label: "source_workload", equals: "unknown" }, ...scope, ...extra]),
  ];
}

export function summaryQueries(kind: SummaryKind, namespaces: readonly string[], window: TimeWindow): { requests: string; errors: string; p95: string } {
  const seconds = Math.max(60, durationSeconds(window) ?? 300);
  const { namespace, name } = GROUP_LABELS[kind];
  const group = `${namespace}, ${name}`;
  return {
    requests: `sum by (${group}) (${rateOver("istio_requests_total", inboundSelectors(kind, namespaces), seconds)})`,
    errors: `sum by (${group}) (${rateOver("istio_requests_total", inboundSelectors(kind, namespaces, [{ label: "response_code", pattern: "5.." }]), seconds)})`,
    p95: `histogram_quantile(0.95, sum by (le, ${group}) (${rateOver("istio_request_duration_milliseconds_bucket", inboundSelectors(kind, namespaces), seconds)}))`,
  };
}

export async function trafficSummaries(client: PrometheusClient, kind: SummaryKind, namespaces: readonly string[], window: TimeWindow): Promise<Map<string, TrafficSummary>> {
  const queries = summaryQueries(kind, namespaces, window);
  const { namespace, name } = GROUP_LABELS[kind];
  const [requests, errors, p95] = await Promise.all([client.instant(queries.requests), client.instant(queries.errors), client.instant(queries.p95)]);
  const keyOf = (labels: Record<string, string>) => summaryKey(labels[namespace] ?? "", labels[name] ?? "");
  const errorsByKey = new Map(errors.map((sample) => [keyOf(sample.metric), Number(sample.value[1])]));
  const p95ByKey = new Map(p95.map((sample) => [keyOf(sample.metric), Number(sample.value[1])]));

  const summaries = new Map<string, TrafficSummary>();
  for (const sample of requests) {
    const key = keyOf(sample.metric);
    const requestRate = Number(sample.value[1]);
    const errorRate = errorsByKey.get(key) ?? 0;
    const latency = p95ByKey.get(key);
    summaries.set(key, { requestRate, errorRate, p95Ms: latency !== undefined && Number.isFinite(latency) ? latency : null, health: healthFromErrorRate(requestRate, errorRate) });
  }
  return summaries;
}
