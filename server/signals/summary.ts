/**
 * Rates, failed shares, p95 latency and health for every service, workload or app of a set of
 * namespaces at once: three instant queries whatever the number of namespaces or objects, so lists
 * of a thousand rows cost Prometheus what a list of ten does. Requests come grouped by their
 * response labels and are judged here by the one definition of a failed request
 * (server/telemetry/failedRequests.ts), as the graph judges its samples; TCP bytes give TCP-only
 * workloads their traffic.
 */
import { healthFromResponses, type Health, type ResponseRate } from "@/lib/health";
import { durationSeconds, type TimeWindow } from "@/lib/timeWindows";
import type { PrometheusClient } from "@/server/prometheus/client";
import type { VectorSample } from "@/server/prometheus/responses";
import { consoleHealthSettings, DEFAULT_HEALTH_SETTINGS, healthRulesFor, type HealthSettings } from "@/server/telemetry/healthThresholds";
import { bothWays, DESTINATION_LABELS, evaluationTime, namespaceInboundScopes, RAW_METRICS, rateOver, RESPONSE_LABELS, responseRateOf, sharedMetricNames, sumBy, type TargetKind, type TelemetryMetricNames } from "@/server/telemetry";

export type SummaryKind = TargetKind;

export interface TrafficSummary {
  requestRate: number;
  errorsPerSecond: number;
  /** The share (0..1) of the requests that failed; null without requests. */
  errorRate: number | null;
  tcpBytesPerSecond: number;
  /** null when there was no traffic to measure. */
  p95Ms: number | null;
  health: Health;
  /** Health annotations that were ignored for this object, and why. */
  healthNotes?: string[];
}

export function summaryKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function summaryQueries(kind: SummaryKind, namespaces: readonly string[], window: TimeWindow, metrics: TelemetryMetricNames = RAW_METRICS): { responses: string; p95: string; tcpBytes: string } {
  const seconds = Math.max(60, durationSeconds(window) ?? 300);
  const { namespace, name } = DESTINATION_LABELS[kind];
  const group = [namespace, name];
  const scopes = namespaceInboundScopes(kind, namespaces);
  const rate = (metric: string) => rateOver(metric, scopes, seconds);
  return {
    responses: sumBy([...group, ...RESPONSE_LABELS], rate(metrics.requests)),
    p95: `histogram_quantile(0.95, ${sumBy(["le", ...group], rate(metrics.durationBucket))})`,
    // Both directions of a TCP connection, as the graph's TCP edges count them.
    tcpBytes: bothWays(sumBy(group, rate(metrics.tcpSentBytes)), sumBy(group, rate(metrics.tcpReceivedBytes)), group),
  };
}

export interface SummaryOptions {
  /** The metric names to read; detected on the shared client (recording rules) when not given. */
  metrics?: TelemetryMetricNames;
  /** The health rules' sources (setting and annotations); today's defaults when not given. */
  health?: HealthSettings;
}

const finite = (sample: VectorSample) => {
  const value = Number(sample.value[1]);
  return Number.isFinite(value) ? value : 0;
};

/**
 * Without `options`, the console's own: recorded metrics as detected on the shared client, and
 * health rules from its setting and the objects' annotations in its watch caches.
 */
export async function trafficSummaries(client: PrometheusClient, kind: SummaryKind, namespaces: readonly string[], window: TimeWindow, options?: SummaryOptions): Promise<Map<string, TrafficSummary>> {
  const queries = summaryQueries(kind, namespaces, window, options?.metrics ?? (await sharedMetricNames()));
  const health = options ? (options.health ?? DEFAULT_HEALTH_SETTINGS) : await consoleHealthSettings(namespaces);
  const { namespace, name } = DESTINATION_LABELS[kind];
  const time = evaluationTime();
  const [responses, p95, tcpBytes] = await Promise.all([client.instant(queries.responses, time), client.instant(queries.p95, time), client.instant(queries.tcpBytes, time)]);
  const keyOf = (labels: Record<string, string>) => summaryKey(labels[namespace] ?? "", labels[name] ?? "");
  const responsesByKey = new Map<string, ResponseRate[]>();
  for (const sample of responses) {
    const key = keyOf(sample.metric);
    responsesByKey.set(key, [...(responsesByKey.get(key) ?? []), responseRateOf(sample.metric, finite(sample))]);
  }
  const tcpByKey = new Map<string, number>();
  for (const sample of tcpBytes) tcpByKey.set(keyOf(sample.metric), (tcpByKey.get(keyOf(sample.metric)) ?? 0) + finite(sample));
  const p95ByKey = new Map(p95.map((sample) => [keyOf(sample.metric), Number(sample.value[1])]));

  const summaries = new Map<string, TrafficSummary>();
  for (const key of new Set([...responsesByKey.keys(), ...tcpByKey.keys()])) {
    const [objectNamespace = "", objectName = ""] = key.split("/");
    const rates = responsesByKey.get(key) ?? [];
    const judgedBy = healthRulesFor(health, kind, objectNamespace, objectName);
    const judged = healthFromResponses(rates, tcpByKey.get(key) ?? 0, judgedBy.rules);
    const latency = p95ByKey.get(key);
    summaries.set(key, {
      requestRate: judged.requestsPerSecond,
      errorsPerSecond: judged.failedPerSecond,
      errorRate: judged.requestsPerSecond > 0 ? judged.failedPerSecond / judged.requestsPerSecond : null,
      tcpBytesPerSecond: tcpByKey.get(key) ?? 0,
      p95Ms: latency !== undefined && Number.isFinite(latency) ? latency : null,
      health: judged.health,
      ...(judgedBy.notes.length > 0 ? { healthNotes: judgedBy.notes } : {}),
    });
  }
  return summaries;
}
