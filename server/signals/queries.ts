/**
 * PromQL for the golden signals of one service, workload or app: request volume by response-code
 * class, error share, latency quantiles, request and response sizes, TCP bytes. Every name goes
 * through the shared escaping in server/prometheus/promql.ts.
 *
 * Which reporter: a request is reported by the calling sidecar (reporter="source") and by the
 * called one (reporter="destination"). We count inbound traffic at the caller, which also sees
 * requests that never reached the destination (no route, upstream timeout), and add what only
 * destinations report: calls from outside the mesh (source_workload="unknown").
 * https://istio.io/latest/docs/reference/config/metrics/
 */
import { selector, type LabelMatcher } from "@/server/prometheus/promql";

export type SignalKind = "service" | "workload" | "app";
export type Direction = "inbound" | "outbound";

export interface SignalTarget {
  kind: SignalKind;
  namespace: string;
  name: string;
}

export interface SignalQuery {
  /** The chart this query feeds. */
  chart: "requestVolume" | "errorShare" | "latency" | "requestSize" | "responseSize" | "tcpSent" | "tcpReceived";
  /** For latency: which quantile. */
  quantile?: number;
  promql: string;
}

export const LATENCY_QUANTILES = [0.5, 0.95, 0.99] as const;

function destinationMatchers(target: SignalTarget): LabelMatcher[] {
  switch (target.kind) {
    case "service":
      return [
        { label: "destination_service_name", equals: target.name },
        { label: "destination_service_namespace", equals: target.namespace },
      ];
    case "workload":
      return [
        { label: "destination_workload", equals: target.name },
        { label: "destination_workload_namespace", equals: target.namespace },
      ];
    case "app":
      return [
        { label: "destination_canonical_service", equals: target.name },
        { label: "destination_workload_namespace", equals: target.namespace },
      ];
  }
}

function sourceMatchers(target: SignalTarget): LabelMatcher[] {
  switch (target.kind) {
    case "service":
      throw new Error("A service sends no traffic of its own; ask for its workloads' outbound traffic");
    case "workload":
      return [
        { label: "source_workload", equals: target.name },
        { label: "source_workload_namespace", equals: target.namespace },
      ];
    case "app":
      return [
        { label: "source_canonical_service", equals: target.name },
        { label: "source_workload_namespace", equals: target.namespace },
      ];
  }
}

/** The label that tells versions apart on the side of the traffic we look at. */
export function versionLabel(direction: Direction): string {
  return direction === "inbound" ? "destination_canonical_revision" : "source_canonical_revision";
}

/** The selectors whose union is the target's traffic in that direction. */
export function trafficSelectors(target: SignalTarget, direction: Direction, extra: LabelMatcher[] = []): string[] {
  if (direction === "outbound") return [selector([{ label: "reporter", equals: "source" }, ...sourceMatchers(target), ...extra])];
  const destination = destinationMatchers(target);
  return [
    selector([{ label: "reporter", equals: "source" }, ...destination, ...extra]),
    selector([{ label: "reporter", equals: "destination" }, { label: "source_workload", equals: "unknown" }, ...destination, ...extra]),
  ];
}

/** rate() of `metric` over the union of the selectors (their series differ by `reporter`, so `or` keeps all). */
export function rateOver(metric: string, selectors: string[], rateWindowSeconds: number): string {
  const rates = selectors.map((sel) => `rate(${metric}${sel}[${rateWindowSeconds}s])`);
  return rates.length === 1 ? rates[0]! : `(${rates.join(" or ")})`;
}

function by(labels: string[]): string {
  return labels.length ? ` by (${labels.join(", ")})` : "";
}

export interface SignalQueryOptions {
  direction: Direction;
  byVersion: boolean;
  rateWindowSeconds: number;
}

export function signalQueries(target: SignalTarget, options: SignalQueryOptions): SignalQuery[] {
  const { direction, rateWindowSeconds } = options;
  const groups = options.byVersion ? [versionLabel(direction)] : [];
  const traffic = trafficSelectors(target, direction);
  const serverErrors = trafficSelectors(target, direction, [{ label: "response_code", pattern: "5.." }]);
  const rate = (metric: string, selectors = traffic) => rateOver(metric, selectors, rateWindowSeconds);

  const allRequests = `sum${by(groups)} (${rate("istio_requests_total")})`;
  const queries: SignalQuery[] = [
    {
      chart: "requestVolume",
      promql: `sum${by(["code_class", ...groups])} (label_replace(${rate("istio_requests_total")}, "code_class", "\${1}xx", "response_code", "([0-9]).*"))`,
    },
    {
      // Zero where there was traffic but no error; no point at all (a gap) where there was no traffic.
      chart: "errorShare",
      promql: `(sum${by(groups)} (${rate("istio_requests_total", serverErrors)}) or ${allRequests} * 0) / ${allRequests}`,
    },
    ...LATENCY_QUANTILES.map((quantile) => ({
      chart: "latency" as const,
      quantile,
      promql: `histogram_quantile(${quantile}, sum${by(["le", ...groups])} (${rate("istio_request_duration_milliseconds_bucket")}))`,
    })),
    {
      chart: "requestSize",
      promql: `sum${by(groups)} (${rate("istio_request_bytes_sum")}) / sum${by(groups)} (${rate("istio_request_bytes_count")})`,
    },
    {
      chart: "responseSize",
      promql: `sum${by(groups)} (${rate("istio_response_bytes_sum")}) / sum${by(groups)} (${rate("istio_response_bytes_count")})`,
    },
    { chart: "tcpSent", promql: `sum${by(groups)} (${rate("istio_tcp_sent_bytes_total")})` },
    { chart: "tcpReceived", promql: `sum${by(groups)} (${rate("istio_tcp_received_bytes_total")})` },
  ];
  return queries;
}
