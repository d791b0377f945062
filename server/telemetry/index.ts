/**
 * What Istio's telemetry means, in one place, for every reader of it (the graph, the lists and
 * overview, the detail charts, callers and callees, the canary verdict):
 * - failedRequests.ts: what a failed request is (5xx, no response, an Envoy response flag, a gRPC
 *   status other than OK), as PromQL matchers and as a predicate over a sample's labels;
 * - traffic.ts: whose reports count as an object's inbound and outbound traffic (sidecars', and in
 *   ambient mode the waypoints', each request once), and how rates over them are written;
 * - version.ts: which version of a workload a series or a pod belongs to (canonical revision);
 * - policyDenials.ts: what an AuthorizationPolicy denial looks like (403 without a response flag);
 * - recordingRules.ts: when to read Istio's recorded `workload:` metrics instead of the raw ones.
 */
export { FAILED_REQUEST, isFailedRequest, narrowSelector, RESPONSE_LABELS, responseRateOf, type LabelCondition } from "./failedRequests";
export {
  DESTINATION_LABELS,
  evaluationTime,
  failedShare,
  bothWays,
  inboundScopes,
  isWaypointHop,
  namespaceInboundScopes,
  outboundScopes,
  rateOver,
  rateWindow,
  SOURCE_LABELS,
  scopeRate,
  sumBy,
  targetMatchers,
  targetScopes,
  type Direction,
  type Scope,
  type TargetKind,
  type TrafficTarget,
  WAYPOINT_REPORTER,
  WAYPOINT_SUPERSEDES,
  waypointReportsOnly,
} from "./traffic";
export { isPolicyDenial, POLICY_DENIAL } from "./policyDenials";
export { canonicalRevisionOf, DEFAULT_CANONICAL_REVISION, VERSION_POD_LABELS, versionLabel, versionOfPodLabels, versionOfSeries } from "./version";
export { chooseMetrics, metricNamesFor, RAW_METRICS, recordingRulesQuery, sharedMetricNames, type MetricChoice, type TelemetryMetricNames } from "./recordingRules";
