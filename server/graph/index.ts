/**
 * The traffic graph: a fixed set of PromQL queries, then a chain of pure steps over one traffic map
 * (traffic → health → share → denied requests → response time → throughput → security → policy
 * denials → idle nodes → sidecars).
 */
import type { GraphResponse } from "@/lib/graph/model";
import { DEFAULT_HEALTH_THRESHOLDS, formatHealthThresholds } from "@/lib/health";
import type { PrometheusClient } from "@/server/prometheus/client";
import type { VectorSample } from "@/server/prometheus/responses";
import type { MeshInventory } from "./inventory";
import { buildGraphQueries, combineQueries, splitCombined, type GraphQueries } from "./queries";
import { appendConfiguredWeights } from "./steps/configuredWeights";
import { appendConfigBadges } from "./steps/configBadges";
import { chooseMetrics, type TelemetryMetricNames } from "@/server/telemetry";
import type { GraphRequest } from "./request";
import { appendHealth } from "./steps/health";
import { appendIdleNodes } from "./steps/idleNodes";
import { appendResponseTime } from "./steps/responseTime";
import { appendDeniedRequests, appendPolicyDenials } from "./steps/authorization";
import { appendSecurity } from "./steps/security";
import { appendSidecars } from "./steps/sidecars";
import { appendThroughput } from "./steps/throughput";
import { appendTrafficShare } from "./steps/trafficShare";
import { EVALUATION_STEP_SECONDS } from "./evaluationStep";
import { buildTrafficMap, gatewayWorkloadsOf, withoutWaypointHops } from "./trafficMap";

export { parseGraphRequest, type GraphRequest } from "./request";

export interface GraphSources {
  prometheus: PrometheusClient;
  /** Kubernetes facts for the namespaces; a failure here degrades the graph instead of failing it. */
  inventory: (namespaces: string[]) => Promise<MeshInventory>;
  nowSeconds: () => number;
}

export { EVALUATION_STEP_SECONDS } from "./evaluationStep";

/** Counts what one graph build asks of Prometheus, for the response's queryCount. */
function counting(client: PrometheusClient): { client: PrometheusClient; count: () => number } {
  let count = 0;
  return {
    count: () => count,
    client: {
      baseUrl: client.baseUrl,
      instant(query, time) {
        count += 1;
        return client.instant(query, time);
      },
      range(query, options) {
        count += 1;
        return client.range(query, options);
      },
      queryData(query, time) {
        count += 1;
        return client.queryData(query, time);
      },
    },
  };
}

/** The graph's queries as sent for `request`: the bytes query carries throughput too when asked. */
function sentQueries(request: GraphRequest, metrics: TelemetryMetricNames): GraphQueries & { bytes: string } {
  const queries = buildGraphQueries({ namespaces: request.namespaces, rateWindowSeconds: request.rateWindowSeconds, latencyQuantiles: request.latencyQuantiles }, metrics, request.appenders);
  // TCP bytes and HTTP throughput are both byte rates per edge: one round trip answers both.
  return { ...queries, bytes: queries.throughput ? combineQueries({ tcp: queries.tcpBytes, throughput: queries.throughput }) : queries.tcpBytes };
}

/**
 * The PromQL a build of `request` sends, for the access check a request passes before it joins a
 * build shared with other viewers (server/auth/namespaceAccess.ts). Raw and recorded metrics carry
 * the same namespace labels, so a recording-rule choice that changes before the build reads the
 * same namespaces.
 */
export async function graphQueryTexts(request: GraphRequest, client: PrometheusClient): Promise<string[]> {
  const { requests, bytes, latency, security } = sentQueries(request, (await chooseMetrics(client)).metrics);
  return [requests, bytes, latency, security].filter((query): query is string => query !== undefined);
}

/** Resolves after the promise jobs queued so far, such as the steps that hand a query to the socket, have run. */
const queriesSent = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function buildGraph(request: GraphRequest, sources: GraphSources): Promise<GraphResponse> {
  const { client, count } = counting(sources.prometheus);
  // Live graphs are evaluated at the last EVALUATION_STEP_SECONDS mark, so viewers refreshing
  // within the same few seconds send identical queries, which the shared client answers once.
  const timestamp = request.queryTime ?? Math.floor(sources.nowSeconds() / EVALUATION_STEP_SECONDS) * EVALUATION_STEP_SECONDS;
  // Detected on the shared client itself, so its one-minute cache serves every refresh.
  const choice = await chooseMetrics(sources.prometheus);
  const queries = sentQueries(request, choice.metrics);
  const ask = (query: string | undefined): Promise<VectorSample[]> => (query === undefined ? Promise.resolve([]) : client.instant(query, timestamp));
  const warnings: string[] = [];
  const answers = Promise.all([ask(queries.requests), ask(queries.bytes), ask(queries.latency), ask(queries.security)]);
  // The inventory is worked out from memory in one go; begun once the queries are on their way,
  // it runs while Prometheus computes instead of holding the queries back.
  const inventory = queriesSent().then(() => sources.inventory(request.namespaces)).catch((error: unknown) => {
    warnings.push(`Sidecar state${request.idleNodes ? " and idle nodes" : ""} are missing: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  });
  const [[requests, bytes, latency, security], facts] = await Promise.all([answers, inventory]);
  const byPart = queries.throughput ? splitCombined(bytes) : new Map([["tcp", bytes]]);
  const tcpBytes = byPart.get("tcp") ?? [];
  const throughput = byPart.get("throughput") ?? [];

  // A caller's report of its hop to a waypoint is the same request the waypoint reports with its
  // chosen backend (server/telemetry/traffic.ts): request figures leave the hop out.
  const waypointWorkloads = facts?.waypointWorkloads ?? new Set<string>();
  const counted = (samples: VectorSample[]) => withoutWaypointHops(samples, waypointWorkloads);
  let map = buildTrafficMap({ requests: counted(requests), tcpBytes }, request.graphType, { gatewayWorkloads: gatewayWorkloadsOf(facts?.workloads ?? []), waypointWorkloads });
  map = appendHealth(map, facts?.health);
  warnings.push(...(map.notes ?? []));
  map = appendTrafficShare(map);
  map = appendDeniedRequests(map);
  if (queries.latency) map = appendResponseTime(map, counted(latency));
  if (queries.throughput) map = appendThroughput(map, counted(throughput));
  if (queries.security) map = appendSecurity(map, security);
  if (queries.security && facts?.authorizationPolicies) map = appendPolicyDenials(map, security, { policies: facts.authorizationPolicies, workloads: facts.workloads });
  if (facts && request.idleNodes) map = appendIdleNodes(map, facts);
  if (facts) map = appendSidecars(map, facts.pods);
  if (facts?.routing) map = appendConfiguredWeights(map, facts.routing);
  if (facts?.routing) map = appendConfigBadges(map, { ...facts.routing, ...facts.badges });

  return {
    timestamp,
    durationSeconds: request.rateWindowSeconds,
    graphType: request.graphType,
    namespaces: request.namespaces,
    queryCount: count() + (choice.queried ? 1 : 0),
    usedRecordingRules: choice.usedRecordingRules,
    healthRules: formatHealthThresholds(facts?.health?.global ?? DEFAULT_HEALTH_THRESHOLDS),
    warnings,
    nodes: [...map.nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    edges: [...map.edges.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}
