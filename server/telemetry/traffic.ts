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
  ];
}

/** Outbound scopes for traffic whose source matches `source`. */
export function outboundScopes(source: Scope): Scope[] {
  return [[{ label: "reporter", equals: "source" }, ...source]];
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
  const name: LabelMatcher = { label: "__name__", equals: metric };
  const branches = only ?? [[]];
  const rates = scopes.flatMap((scope) => branches.map((branch) => `rate(${narrowSelector(selector([name, ...scope]), branch)}${rateWindow(seconds)})`));
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

/**
 * The sum of two aggregated rates per label set (TCP bytes sent and received). Not one `or`: two
 * rates with the same labels are one series to `or`, which would keep only the first; `+` keeps
 * only label sets both sides have, so the one-sided ones are added back with `or`.
 */
export function bothWays(first: string, second: string): string {
  return `(${first} + ${second}) or ${first} or ${second}`;
}

/**
 * The time to evaluate instant queries that are read together (requests and failures): one moment
 * for all, so a share never mixes two scrapes, rounded to the graph's evaluation step so viewers
 * within the same few seconds send identical queries, which the shared client answers once.
 */
export function evaluationTime(nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000 / EVALUATION_STEP_SECONDS) * EVALUATION_STEP_SECONDS;
}
