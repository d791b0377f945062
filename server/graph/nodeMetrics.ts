/**
 * Charts for one node of the graph: three range queries over the window. A node's figures are
 * the requests it received, counted as the graph's edges into it are (server/telemetry/traffic.ts:
 * at the callers, plus its own reports of callers outside the mesh), and failed as the graph
 * counts failures (server/telemetry/failedRequests.ts), so the chart and the node agree. Gateways
 * receive from outside and report only what they send: for those, what they sent.
 *
 * Every query is pinned to the node's namespace, as the graph drew the node. Given `namespaces`
 * (the graph's), a gateway's figures count only what it sent into them and an external host's only
 * what callers in them sent it, as the graph's edges do: so a person who may read those namespaces
 * but not the gateway's, or one looking at a host outside the mesh, still gets the figures that
 * concern them. An external host has no namespace of its own unless a ServiceEntry in one defines
 * it; with neither, its figures add up callers in every namespace, and only a person who may read
 * every namespace gets them (server/auth/namespaceAccess.ts decides from the queries themselves).
 */
import { z } from "zod";
import { nodeKindSchema, type NodeKind } from "@/lib/graph/model";
import type { NodeMetrics, Point } from "@/lib/graph/nodeMetrics";
import { isDns1123Label, isHostName, isLabelValue } from "@/lib/kubeNames";
import { durationSeconds } from "@/lib/timeWindows";
import { BadRequestError } from "@/server/http/errors";
import { namespacesParam } from "@/server/http/params";
import type { PrometheusClient } from "@/server/prometheus/client";
import type { LabelMatcher } from "@/server/prometheus/promql";
import type { MatrixSeries } from "@/server/prometheus/responses";
import { chooseMetrics, FAILED_REQUEST, inboundScopes, outboundScopes, rateOver, sumBy, type Scope, type TelemetryMetricNames } from "@/server/telemetry";
import { MAX_RATE_WINDOW_SECONDS } from "./request";

export interface NodeMetricsRequest {
  kind: NodeKind;
  namespace: string;
  name: string;
  version: string | null;
  windowSeconds: number;
  /**
   * The graph's namespaces. A gateway's and an external host's figures then count only traffic
   * with them (what a gateway sent into them, what their callers sent to the host), as the graph's
   * edges do; empty: all of it.
   */
  graphNamespaces: string[];
}

const paramsSchema = z.object({
  kind: nodeKindSchema.exclude(["unknown"]),
  namespace: z.string().refine((value) => value === "" || isDns1123Label(value), "expected a namespace name"),
  // Names of things outside the mesh are host names (with capitals in Envoy's own, such as PassthroughCluster).
  name: z.string().refine(isHostName, "expected a workload, service or host name"),
  version: z.string().refine(isLabelValue, "expected a version label value").optional(),
  window: z.string().default("5m"),
});

export function parseNodeMetricsRequest(url: URL): NodeMetricsRequest {
  const params = paramsSchema.parse(Object.fromEntries(url.searchParams));
  const windowSeconds = durationSeconds(params.window);
  if (windowSeconds === null || windowSeconds > MAX_RATE_WINDOW_SECONDS) throw new BadRequestError(`window: expected a duration such as 5m or 1h, at most 7d`);
  return { kind: params.kind, namespace: params.namespace, name: params.name, version: params.version ?? null, windowSeconds, graphNamespaces: namespacesParam(url) };
}

/** The scopes whose union is the node's traffic, and whether it is what the node received or sent. */
export function nodeScope(request: NodeMetricsRequest): { scopes: Scope[]; direction: "inbound" | "outbound" } {
  const { kind, namespace, name, version } = request;
  switch (kind) {
    case "gateway": {
      const matchers: LabelMatcher[] = [{ label: "source_workload_namespace", equals: namespace }, { label: "source_workload", equals: name }];
      if (request.graphNamespaces.length > 0) matchers.push({ label: "destination_service_namespace", oneOf: request.graphNamespaces });
      return { direction: "outbound", scopes: outboundScopes(matchers) };
    }
    case "external": {
      // The graph names an external node by its ServiceEntry's namespace when it has one: the same
      // host defined in another namespace is another node.
      const matchers: LabelMatcher[] = [{ label: "destination_service_name", equals: name }];
      if (namespace) matchers.push({ label: "destination_service_namespace", equals: namespace });
      if (request.graphNamespaces.length > 0) matchers.push({ label: "source_workload_namespace", oneOf: request.graphNamespaces });
      return { direction: "inbound", scopes: inboundScopes(matchers) };
    }
    case "service":
      return { direction: "inbound", scopes: inboundScopes([{ label: "destination_service_namespace", equals: namespace }, { label: "destination_service_name", equals: name }]) };
    case "workload":
      return { direction: "inbound", scopes: inboundScopes([{ label: "destination_workload_namespace", equals: namespace }, { label: "destination_workload", equals: name }]) };
    case "app":
    case "versionedApp":
    case "unknown": {
      const matchers: LabelMatcher[] = [{ label: "destination_workload_namespace", equals: namespace }, { label: "destination_canonical_service", equals: name }];
      if (kind === "versionedApp" && version) matchers.push({ label: "destination_canonical_revision", equals: version });
      return { direction: "inbound", scopes: inboundScopes(matchers) };
    }
  }
}

export function nodeMetricsQueries(scopes: readonly Scope[], metrics: TelemetryMetricNames, rateSeconds: number) {
  return {
    requests: `${sumBy([], rateOver(metrics.requests, scopes, rateSeconds))} or vector(0)`,
    errors: `${sumBy([], rateOver(metrics.requests, scopes, rateSeconds, FAILED_REQUEST))} or vector(0)`,
    p95: `histogram_quantile(0.95, ${sumBy(["le"], rateOver(metrics.durationBucket, scopes, rateSeconds))})`,
  };
}

function points(series: MatrixSeries[]): Point[] {
  return (series[0]?.values ?? []).map(([time, value]) => {
    const number = Number(value);
    return [time, Number.isFinite(number) ? number : null];
  });
}

export interface NodeMetricsSources {
  /** Sends the figure queries: for a signed-in person, one that checks each against what they may read. */
  figures: PrometheusClient;
  /** The shared client, for the recording-rule detection (metric names only, the same for everyone). */
  shared: PrometheusClient;
}

export async function loadNodeMetrics(request: NodeMetricsRequest, sources: NodeMetricsSources, nowSeconds: number): Promise<NodeMetrics> {
  // About 60 points per chart; the rate window spans two steps so no scrape falls between them.
  const stepSeconds = Math.max(5, Math.ceil(request.windowSeconds / 60));
  const rateSeconds = Math.max(30, 2 * stepSeconds);
  const { metrics } = await chooseMetrics(sources.shared);
  const scope = nodeScope(request);
  const queries = nodeMetricsQueries(scope.scopes, metrics, rateSeconds);
  const range = { start: nowSeconds - request.windowSeconds, end: nowSeconds, stepSeconds };
  const client = sources.figures;
  const [requests, errors, p95] = await Promise.all([client.range(queries.requests, range), client.range(queries.errors, range), client.range(queries.p95, range)]);
  return {
    kind: request.kind,
    namespace: request.namespace,
    name: request.name,
    version: request.version,
    direction: scope.direction,
    stepSeconds,
    requestsPerSecond: points(requests),
    errorsPerSecond: points(errors),
    p95Milliseconds: points(p95),
  };
}
