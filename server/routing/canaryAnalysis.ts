/**
 * Golden signals per version of one service, side by side, for canary analysis and for the
 * observed split (each version's share of the requests). Requests are counted as every inbound
 * figure is, failed as everywhere else, and split by the version Istio reports (canonical
 * revision): all from server/telemetry, so the verdict and the graph never disagree about the same
 * traffic.
 */
import type { CanaryAnalysis, VersionSignals } from "@/lib/routing/canary";
import type { PrometheusClient } from "@/server/prometheus/client";
import { evaluationTime, FAILED_REQUEST, RAW_METRICS, rateOver, sharedMetricNames, sumBy, targetScopes, versionLabel, waypointReportsOnly, type TelemetryMetricNames } from "@/server/telemetry";
import type { ServiceRef } from "./istioObjects";

const VERSION_LABEL = versionLabel("inbound");

/**
 * `backends`: the version Services a Gateway API route sends the service's requests to; Istio
 * reports those requests with the chosen backend as `destination_service`, so they are counted
 * with the service's own (the scopes differ in that label, so none is counted twice).
 */
export interface CanaryOptions {
  /** The service is in ambient mode behind a waypoint: read the waypoint's reports alone (server/telemetry/traffic.ts). */
  behindWaypoint?: boolean;
}

export function canaryQueries(ref: ServiceRef, windowSeconds: number, metrics: TelemetryMetricNames = RAW_METRICS, backends: readonly string[] = [], options: CanaryOptions = {}): { requests: string; errors: string; p95: string; p99: string } {
  const names = [...new Set([ref.service, ...backends])];
  const all = names.flatMap((name) => targetScopes({ kind: "service", namespace: ref.namespace, name }, "inbound"));
  const scopes = options.behindWaypoint ? waypointReportsOnly(all) : all;
  const quantile = (q: number) => `histogram_quantile(${q}, ${sumBy(["le", VERSION_LABEL], rateOver(metrics.durationBucket, scopes, windowSeconds))})`;
  return {
    requests: sumBy([VERSION_LABEL], rateOver(metrics.requests, scopes, windowSeconds)),
    errors: sumBy([VERSION_LABEL], rateOver(metrics.requests, scopes, windowSeconds, FAILED_REQUEST)),
    p95: quantile(0.95),
    p99: quantile(0.99),
  };
}

function byVersion(samples: readonly { metric: Record<string, string>; value: [number, string] }[]): Map<string, number> {
  const values = new Map<string, number>();
  for (const sample of samples) {
    const value = Number(sample.value[1]);
    if (Number.isFinite(value)) values.set(sample.metric[VERSION_LABEL] ?? "unknown", value);
  }
  return values;
}

/** `metrics`: the metric names to read; detected on the shared client (recording rules) when not given. */
export async function canaryAnalysis(client: PrometheusClient, ref: ServiceRef, windowSeconds: number, metrics?: TelemetryMetricNames, backends: readonly string[] = [], options: CanaryOptions = {}): Promise<CanaryAnalysis> {
  const queries = canaryQueries(ref, windowSeconds, metrics ?? (await sharedMetricNames()), backends, options);
  // One evaluation time for all four, so each version's failures are of the same moment as its requests.
  const time = evaluationTime();
  const [requests, errors, p95, p99] = await Promise.all([queries.requests, queries.errors, queries.p95, queries.p99].map((query) => client.instant(query, time).then(byVersion)));
  const total = [...requests!.values()].reduce((a, b) => a + b, 0);
  const versions: VersionSignals[] = [...requests!.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([version, requestRate]) => ({
      version,
      requestRate,
      errorRate: requestRate > 0 ? (errors!.get(version) ?? 0) / requestRate : null,
      p95Ms: p95!.get(version) ?? null,
      p99Ms: p99!.get(version) ?? null,
      share: total > 0 ? requestRate / total : 0,
    }));
  return { windowSeconds, versions };
}
