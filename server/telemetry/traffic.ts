/**
 * Whose reports a figure counts, and how a figure's PromQL is put together from them.
 *
 * Istio reports every request twice (https://istio.io/latest/docs/reference/config/metrics/): by
 * the calling proxy (`reporter="source"`) and by the called one (`reporter="destination"`).
 * - INBOUND traffic of an object (what it received) is counted at the callers, which also see the
 *   requests that never reached it (no healthy upstream, timeouts: the failures that matter most),
 *   plus what only the object's own proxy reports: calls from outside the mesh
 *   (`source_workload="unknown"`), which no caller reports.
 * - OUTBOUND traffic of an object (what it sent) is counted where it leaves, at its own proxy.
 * The two reports of one request differ in `reporter`, so the union of these selectors never
 * counts a request twice. Every selector is pinned to a namespace by a namespace label, which is
 * what server/prometheus/pinnedNamespaces.ts reads to decide who may see the figure.
 *
 * Ambient mode (https://istio.io/latest/docs/ambient/usage/l7-features/): ztunnel reports only TCP
 * (reporters `source`/`destination`); a waypoint reports the requests it forwards with
 * `reporter="waypoint"`, the client in `source_*` and the backend it chose in `destination_*`. An
 * ambient client has no proxy of its own, so the waypoint's report is the only one of its requests;
 * a sidecar client calling through a waypoint reports the same request again (`source`), naming the
 * waypoint rather than the backend the route chose. So, per caller and destination service, the
 * waypoint's report is authoritative: the caller's own report counts only where no waypoint reported
 * that pair (WAYPOINT_SUPERSEDES), and a canary split behind a waypoint is read from the backends it
 * names.
 */
import { EVALUATION_STEP_SECONDS } from "@/server/graph/evaluationStep";
import { selector, type LabelMatcher } from "@/server/prometheus/promql";
import { narrowSelector, type LabelCondition } from "./failedRequests";

export type Direction = "inbound" | "outbound";
export type TargetKind = "service" | "workload" | "app";

/** A service, workload or app (canonical service) of a namespace. */
export interface TrafficTarget {
  kind: TargetKind;
  namespace: string;
  name: string;
}

/** One selector's matchers; a figure reads the union of several. */
export type Scope = readonly LabelMatcher[];

/** The labels naming an inbound target, by kind: its namespace label pins every inbound selector. */
export const DESTINATION_LABELS: Record<TargetKind, { namespace: string; name: string }> = {
  service: { namespace: "destination_service_namespace", name: "destination_service_name" },
  workload: { namespace: "destination_workload_namespace", name: "destination_workload" },
  app: { namespace: "destination_workload_namespace", name: "destination_canonical_service" },
};

/** The labels naming an outbound target. A service sends nothing of its own: its workloads do. */
export const SOURCE_LABELS: Record<Exclude<TargetKind, "service">, { namespace: string; name: string }> = {
  workload: { namespace: "source_workload_namespace", name: "source_workload" },
  app: { namespace: "source_workload_namespace", name: "source_canonical_service" },
};

/**
 * Inbound scopes for traffic whose destination matches `destination`. `atDestination` may name
 * the destination by another label for the destination's own reports (the graph pins those by
 * the workload's namespace, which a destination proxy always knows).
 */
export function inboundScopes(destination: Scope, atDestination: Scope = destination): Scope[] {
  return [
    [{ label: "reporter", equals: "source" }, ...destination],
    [{ label: "reporter", equals: "destination" }, { label: "source_workload", equals: "unknown" }, ...atDestination],
    [{ label: "reporter", equals: WAYPOINT_REPORTER }, ...destination],
  ];
}

/** Outbound scopes for traffic whose source matches `source`: its own proxy's reports, or the waypoint's for it. */
export function outboundScopes(source: Scope): Scope[] {
  return [
    [{ label: "reporter", equals: "source" }, ...source],
    [{ label: "reporter", equals: WAYPOINT_REPORTER }, ...source],
  ];
}

/** The reporter a waypoint writes on the requests it forwards (Istio 1.23 and later). */
export const WAYPOINT_REPORTER = "waypoint";

/**
 * The labels naming one caller and the service it called: where a waypoint reported a pair, the
 * caller's own reports of that pair are the same requests seen before the waypoint, and give way.
 */
export const WAYPOINT_SUPERSEDES = ["source_workload", "source_workload_namespace", "destination_service_name", "destination_service_namespace"] as const;

/**
 * Only the waypoint's reports of `scopes`: for a service behind a waypoint, every request to it
 * passes the waypoint, which alone names the backend its route chose; a sidecar caller's own
 * report names the waypoint instead, so it would show as a version of its own.
 */
export function waypointReportsOnly(scopes: readonly Scope[]): Scope[] {
  return scopes.filter((scope) => reporterOf(scope) === WAYPOINT_REPORTER);
}

function reporterOf(scope: Scope): string | null {
  const matcher = scope.find((candidate) => candidate.label === "reporter");
  return matcher && "equals" in matcher ? matcher.equals : null;
}

/**
 * `rate()` of `metric` over one scope, narrowed to `branch`. A caller's own reports (`source`) leave
 * out every pair a waypoint reported in the same scope, whatever the waypoint answered, so each
 * request is counted once and from one side (see the header).
 */
export function scopeRate(metric: string, scope: Scope, seconds: number, branch: readonly LabelCondition[] = []): string {
  const name: LabelMatcher = { label: "__name__", equals: metric };
  const own = `rate(${narrowSelector(selector([name, ...scope]), branch)}${rateWindow(seconds)})`;
  if (reporterOf(scope) !== "source") return own;
  const waypoint = scope.map((matcher): LabelMatcher => (matcher.label === "reporter" ? { label: "reporter", equals: WAYPOINT_REPORTER } : matcher));
  return `(${own} unless on (${WAYPOINT_SUPERSEDES.join(", ")}) rate(${selector([name, ...waypoint])}${rateWindow(seconds)}))`;
}

/**
 * Whether a request sample is a caller's report of its hop to a waypoint (`destination_workload`
 * is the waypoint): the waypoint reports the same requests itself, naming the backend its route
 * chose, so such a sample is never counted as traffic (WAYPOINT_SUPERSEDES covers the case where
 * both name the same service). `isWaypoint` knows the waypoints' workloads (Kubernetes facts); the
 * metrics alone cannot tell a waypoint's name from an application's.
 */
export function isWaypointHop(labels: Readonly<Record<string, string>>, isWaypoint: (namespace: string, workload: string) => boolean): boolean {
  const workload = labels.destination_workload;
  return workload !== undefined && labels.reporter !== WAYPOINT_REPORTER && isWaypoint(labels.destination_workload_namespace ?? "", workload);
}

/** Matchers for one target as the destination (inbound) or source (outbound) of traffic. */
export function targetMatchers(target: TrafficTarget, direction: Direction): LabelMatcher[] {
  if (direction === "outbound" && target.kind === "service") throw new Error("A service sends no traffic of its own; ask for its workloads' outbound traffic");
  const labels = direction === "inbound" ? DESTINATION_LABELS[target.kind] : SOURCE_LABELS[target.kind as Exclude<TargetKind, "service">];
  return [
    { label: labels.name, equals: target.name },
    { label: labels.namespace, equals: target.namespace },
  ];
}

/** The scopes whose union is the target's traffic in that direction. */
export function targetScopes(target: TrafficTarget, direction: Direction): Scope[] {
  const matchers = targetMatchers(target, direction);
  return direction === "inbound" ? inboundScopes(matchers) : outboundScopes(matchers);
}

/** Inbound scopes for every target of a kind in `namespaces` (all namespaces when empty). */
export function namespaceInboundScopes(kind: TargetKind, namespaces: readonly string[]): Scope[] {
  return inboundScopes(namespaces.length ? [{ label: DESTINATION_LABELS[kind].namespace, oneOf: namespaces }] : []);
}

export function rateWindow(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`A rate window must be a positive whole number of seconds, not ${seconds}`);
  return `[${seconds}s]`;
}

/**
 * `rate()` of `metric` over the union of `scopes`, optionally only the responses matching one of
 * the `only` branches (e.g. FAILED_REQUEST). The scopes and branches must exclude one another (as
 * reporters and FAILED_REQUEST's branches do): their series then differ in some label, and `or`
 * keeps every one. The caller aggregates with `sum by`.
 */
export function rateOver(metric: string, scopes: readonly Scope[], seconds: number, only?: readonly (readonly LabelCondition[])[]): string {
  const branches = only ?? [[]];
  const rates = scopes.flatMap((scope) => branches.map((branch) => scopeRate(metric, scope, seconds, branch)));
  return rates.length === 1 ? (rates[0] as string) : `(${rates.join(" or ")})`;
}

/** `sum by (labels) (…)`, or `sum (…)` without labels. */
export function sumBy(labels: readonly string[], expression: string): string {
  return `sum${labels.length ? ` by (${labels.join(", ")})` : ""} (${expression})`;
}

/**
 * The share of requests that failed, per label set of `by`: 0 where there was traffic and no
 * failure, no sample at all (a gap in a chart) where there was no traffic.
 */
export function failedShare(requests: string, failed: string, by: readonly string[]): string {
  const all = sumBy(by, requests);
  return `(${sumBy(by, failed)} or ${all} * 0) / ${all}`;
}

/** Tags the series of each side of bothWays, so `or` keeps both; the sum then drops it again. */
const SIDE_LABEL = "mesh_console_side";

/**
 * The sum of two rates per label set of `by` (TCP bytes sent and received), a label set that only
 * one side has included. Not `first or second`: two rates with the same labels are one series to
 * `or`, which keeps only the first. Nor `(first + second) or first or second`: Prometheus
 * evaluates every occurrence of an expression, so that form computed each rate twice. Here each
 * side is tagged with its own value of SIDE_LABEL, `or` keeps every series of both, and the sum by
 * `by` adds them up: each rate is computed once.
 */
export function bothWays(first: string, second: string, by: readonly string[]): string {
  const side = (expression: string, name: string) => `label_replace(${expression}, "${SIDE_LABEL}", "${name}", "", "")`;
  return sumBy(by, `${side(first, "first")} or ${side(second, "second")}`);
}

/**
 * The time to evaluate instant queries that are read together (requests and failures): one moment
 * for all, so a share never mixes two scrapes, rounded to the graph's evaluation step so viewers
 * within the same few seconds send identical queries, which the shared client answers once.
 */
export function evaluationTime(nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000 / EVALUATION_STEP_SECONDS) * EVALUATION_STEP_SECONDS;
}
