/**
 * The PromQL behind one graph refresh. The number of queries is fixed (requests, bytes, and one
 * each for response time and security when asked: at most four) whatever the number of
 * namespaces: all namespaces go into one `=~` matcher, built by promql.ts so no namespace value can
 * change the query's structure.
 *
 * Which reports to count follows Istio's telemetry model
 * (https://istio.io/latest/docs/reference/config/metrics/): every request is reported twice, by the
 * client proxy (`reporter="source"`) and the server proxy (`reporter="destination"`). We count the
 * source side, which also sees requests that never reached a server (no healthy upstream, timeouts),
 * plus the destination side of requests whose source has no proxy (`source_workload="unknown"`,
 * traffic from outside the mesh), which nobody else reports. Ingress gateways report as sources.
 * In ambient mode a waypoint's reports (`reporter="waypoint"`) join the same selections, not a query
 * of their own, and supersede a caller's reports of the same pair. These are the inbound and
 * outbound scopes every reader uses (server/telemetry/traffic.ts).
 */
import { appendTo } from "@/lib/listMap";
import type { LabelMatcher } from "@/server/prometheus/promql";
import { bothWays, inboundScopes, outboundScopes, RESPONSE_LABELS as FAILURE_LABELS, scopeRate, WAYPOINT_REPORTER, type Scope, type TelemetryMetricNames } from "@/server/telemetry";

/** The labels that identify an edge; every graph query aggregates down to these (plus its own). */
export const EDGE_LABELS = [
  "source_workload_namespace",
  "source_workload",
  "source_canonical_service",
  "source_canonical_revision",
  "destination_service",
  "destination_service_namespace",
  "destination_service_name",
  "destination_workload_namespace",
  "destination_workload",
  "destination_canonical_service",
  "destination_canonical_revision",
  "request_protocol",
] as const;

/** The labels that tell whether a request failed (server/telemetry/failedRequests.ts), besides the edge's request_protocol. */
export const RESPONSE_LABELS = FAILURE_LABELS.filter((label) => !(EDGE_LABELS as readonly string[]).includes(label));

/**
 * The quantiles a graph asks for unless told otherwise: p95 only. Each histogram_quantile
 * recomputes the bucket rates over every bucket series, which at a thousand workloads is most of
 * Prometheus' work for a refresh; edge labels show p95, and the side panel's charts ask for p50
 * and p99 of the one node they show.
 */
export const DEFAULT_LATENCY_QUANTILES: readonly number[] = [0.95];

export interface GraphQueryScope {
  namespaces: readonly string[];
  rateWindowSeconds: number;
  latencyQuantiles?: readonly number[];
}

export interface GraphQueries {
  requests: string;
  tcpBytes: string;
  latency?: string;
  throughput?: string;
  security?: string;
}

/** The label that tells the parts of a combined query apart in its answer. */
export const PART_LABEL = "mesh_console_part";

/**
 * Several instant queries sent as one: each part's series are tagged with PART_LABEL naming the
 * part, so `or` keeps every series of every part and the answer can be split again. Prometheus does
 * the same work; the console makes one round trip instead of several.
 */
export function combineQueries(parts: Readonly<Record<string, string>>): string {
  return Object.entries(parts)
    .map(([part, query]) => {
      if (!/^[a-z]+$/.test(part)) throw new Error(`A query part is named in lower-case letters, not ${JSON.stringify(part)}`);
      return `label_replace((${query}), "${PART_LABEL}", "${part}", "", "")`;
    })
    .join(" or ");
}

/** The answer of a combined query, by part, with the tag removed again. */
export function splitCombined<T extends { metric: Record<string, string> }>(samples: readonly T[]): Map<string, T[]> {
  const parts = new Map<string, T[]>();
  for (const sample of samples) {
    const { [PART_LABEL]: part = "", ...metric } = sample.metric;
    appendTo(parts, part, { ...sample, metric });
  }
  return parts;
}

/**
 * A caller in the namespaces: its reports are already in the outbound scopes. Added to an inbound
 * scope with the same reporter, it leaves that scope only the callers from elsewhere, so Prometheus
 * computes each series' rate once instead of once per scope. The answer is the same: `or` kept the
 * outbound copy of such a series' label set (the source namespace is one of the edge labels, so a
 * group is either wholly inside the namespaces or wholly outside).
 */
const callerElsewhere = (namespaces: readonly string[]): LabelMatcher => ({ label: "source_workload_namespace", noneOf: namespaces });

/**
 * Traffic leaving the namespaces (outbound) or entering them from elsewhere (inbound, the callers'
 * reports plus the destinations' own for callers outside the mesh, pinned there by the workload's
 * namespace).
 */
function trafficScopes(namespaces: readonly string[]): Scope[] {
  return [
    ...outboundScopes([{ label: "source_workload_namespace", oneOf: namespaces }]),
    // The destination's own reports (callers outside the mesh) have a reporter no outbound scope reads.
    ...inboundScopes([{ label: "destination_service_namespace", oneOf: namespaces }, callerElsewhere(namespaces)], [{ label: "destination_workload_namespace", oneOf: namespaces }]),
  ];
}

/**
 * Only the server side knows whether a connection used mutual TLS; the client reports "unknown".
 * In ambient mode the server side of a request is the waypoint that terminated its HBONE tunnel
 * (`reporters`), and of a TCP connection the destination's ztunnel (`reporter="destination"`).
 */
function destinationScopes(namespaces: readonly string[], reporters: readonly string[]): LabelMatcher[][] {
  return [
    [
      { label: "reporter", oneOf: reporters },
      { label: "source_workload_namespace", oneOf: namespaces },
    ],
    [{ label: "reporter", oneOf: reporters }, { label: "destination_workload_namespace", oneOf: namespaces }, callerElsewhere(namespaces)],
  ];
}

/**
 * `sum by (labels) (rate(metric{scope}[w]))` for each scope, joined with `or`. The scopes overlap
 * (traffic between two selected namespaces matches both source and destination scopes) and `or`
 * keeps one copy of each identical label set, so nothing is counted twice.
 */
function rateByScopes(metric: string, scopes: readonly Scope[], by: readonly string[], seconds: number): string {
  return scopes.map((scope) => `sum by (${by.join(",")}) (${scopeRate(metric, scope, seconds)})`).join(" or ");
}

/**
 * The sum of two metrics' rates per label set. Not `rate({__name__=~"a|b"})`: rate() drops the
 * name, and two series that then share a label set make Prometheus fail the whole query.
 */
function sumOfRates(first: string, second: string, scopes: readonly Scope[], by: readonly string[], seconds: number): string {
  return bothWays(`(${rateByScopes(first, scopes, by, seconds)})`, `(${rateByScopes(second, scopes, by, seconds)})`, by);
}

export function buildGraphQueries(scope: GraphQueryScope, metrics: TelemetryMetricNames, appenders: ReadonlySet<string>): GraphQueries {
  if (scope.namespaces.length === 0) throw new Error("A graph needs at least one namespace");
  const traffic = trafficScopes(scope.namespaces);
  const seconds = scope.rateWindowSeconds;
  const queries: GraphQueries = {
    requests: rateByScopes(metrics.requests, traffic, [...EDGE_LABELS, ...RESPONSE_LABELS], seconds),
    // Bytes in both directions of a TCP connection: what a person means by a TCP edge's throughput.
    tcpBytes: sumOfRates(metrics.tcpSentBytes, metrics.tcpReceivedBytes, traffic, EDGE_LABELS, seconds),
  };
  if (appenders.has("responseTime")) {
    const buckets = `(${rateByScopes(metrics.durationBucket, traffic, [...EDGE_LABELS, "le"], seconds)})`;
    // One query answers all quantiles: each histogram_quantile result is tagged with its quantile.
    queries.latency = (scope.latencyQuantiles ?? DEFAULT_LATENCY_QUANTILES).map((q) => `label_replace(histogram_quantile(${q}, ${buckets}), "quantile", "${q}", "", "")`).join(" or ");
  }
  if (appenders.has("throughput")) {
    queries.throughput = sumOfRates(metrics.requestBytesSum, metrics.responseBytesSum, traffic, EDGE_LABELS, seconds);
  }
  if (appenders.has("security")) {
    // request_protocol keeps HTTP and TCP series apart, so the `or` never drops one for the other.
    // source_principal (the caller's mTLS identity, one per source workload) lets steps/authorization.ts
    // check the callers against the AuthorizationPolicies without another query.
    const by = [...EDGE_LABELS, "connection_security_policy", "source_principal"];
    queries.security = `${rateByScopes(metrics.requests, destinationScopes(scope.namespaces, ["destination", WAYPOINT_REPORTER]), by, seconds)} or ${rateByScopes(metrics.tcpSentBytes, destinationScopes(scope.namespaces, ["destination"]), by, seconds)}`;
  }
  return queries;
}
