/**
 * PromQL for the golden signals of one service, workload or app: request volume by response-code
 * class, error share, latency quantiles, request and response sizes, TCP bytes. Whose reports
 * count, what a failed request is, which label names a version and which metric names to read all
 * come from server/telemetry, as for every other figure; every name goes through the shared
 * escaping in server/prometheus/promql.ts.
 */
import { FAILED_REQUEST, failedShare, RAW_METRICS, rateOver, sumBy, targetScopes, versionLabel, type Direction, type TelemetryMetricNames, type TrafficTarget } from "@/server/telemetry";

export type SignalKind = TrafficTarget["kind"];
export type { Direction } from "@/server/telemetry";
export { versionLabel } from "@/server/telemetry";

export type SignalTarget = TrafficTarget;

export interface SignalQuery {
  /** The chart this query feeds. */
  chart: "requestVolume" | "errorShare" | "latency" | "requestSize" | "responseSize" | "tcpSent" | "tcpReceived";
  /** For latency: which quantile. */
  quantile?: number;
  promql: string;
}

export const LATENCY_QUANTILES = [0.5, 0.95, 0.99] as const;

export interface SignalQueryOptions {
  direction: Direction;
  byVersion: boolean;
  rateWindowSeconds: number;
}

export function signalQueries(target: SignalTarget, options: SignalQueryOptions, metrics: TelemetryMetricNames = RAW_METRICS): SignalQuery[] {
  const { direction, rateWindowSeconds } = options;
  const groups = options.byVersion ? [versionLabel(direction)] : [];
  const scopes = targetScopes(target, direction);
  const rate = (metric: string) => rateOver(metric, scopes, rateWindowSeconds);
  const failed = rateOver(metrics.requests, scopes, rateWindowSeconds, FAILED_REQUEST);
  const meanOf = (sum: string, count: string) => `${sumBy(groups, rate(sum))} / ${sumBy(groups, rate(count))}`;
  return [
    {
      chart: "requestVolume",
      promql: sumBy(["code_class", ...groups], `label_replace(${rate(metrics.requests)}, "code_class", "\${1}xx", "response_code", "([0-9]).*")`),
    },
    // Zero where there was traffic but no failure; no point at all (a gap) where there was no traffic.
    { chart: "errorShare", promql: failedShare(rate(metrics.requests), failed, groups) },
    ...LATENCY_QUANTILES.map((quantile) => ({
      chart: "latency" as const,
      quantile,
      promql: `histogram_quantile(${quantile}, ${sumBy(["le", ...groups], rate(metrics.durationBucket))})`,
    })),
    { chart: "requestSize", promql: meanOf(metrics.requestBytesSum, metrics.requestBytesCount) },
    { chart: "responseSize", promql: meanOf(metrics.responseBytesSum, metrics.responseBytesCount) },
    { chart: "tcpSent", promql: sumBy(groups, rate(metrics.tcpSentBytes)) },
    { chart: "tcpReceived", promql: sumBy(groups, rate(metrics.tcpReceivedBytes)) },
  ];
}
