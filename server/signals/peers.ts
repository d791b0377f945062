/**
 * Who calls an object and whom it calls, with rates, failed shares and requests denied as an
 * AuthorizationPolicy denies them over the window: six instant queries. Callers are counted where
 * the object's inbound traffic is counted, callees where its outbound traffic is
 * (server/telemetry/traffic.ts), failures and denials as everywhere else
 * (server/telemetry/failedRequests.ts, policyDenials.ts), so a peer's figures add up to the object's.
 */
import type { Peer, Peers } from "@/lib/signals/types";
import { durationSeconds, type TimeWindow } from "@/lib/timeWindows";
import type { PrometheusClient } from "@/server/prometheus/client";
import { evaluationTime, FAILED_REQUEST, POLICY_DENIAL, RAW_METRICS, rateOver, sharedMetricNames, sumBy, targetScopes, type TelemetryMetricNames, type TrafficTarget } from "@/server/telemetry";

export type { Peer, Peers } from "@/lib/signals/types";

const CALLER_LABELS = ["source_workload_namespace", "source_workload"];
const CALLEE_LABELS = ["destination_service_namespace", "destination_service_name", "destination_workload"];

export interface PeerQueries {
  callers: string;
  callerErrors: string;
  callerDenials: string;
  callees: string | null;
  calleeErrors: string | null;
  calleeDenials: string | null;
}

export function peerQueries(target: TrafficTarget, window: TimeWindow, metrics: TelemetryMetricNames = RAW_METRICS): PeerQueries {
  const seconds = Math.max(60, durationSeconds(window) ?? 300);
  const inbound = targetScopes(target, "inbound");
  // A service originates no traffic; its workloads do.
  const outbound = target.kind === "service" ? null : targetScopes(target, "outbound");
  return {
    callers: sumBy(CALLER_LABELS, rateOver(metrics.requests, inbound, seconds)),
    callerErrors: sumBy(CALLER_LABELS, rateOver(metrics.requests, inbound, seconds, FAILED_REQUEST)),
    callerDenials: sumBy(CALLER_LABELS, rateOver(metrics.requests, inbound, seconds, POLICY_DENIAL)),
    callees: outbound ? sumBy(CALLEE_LABELS, rateOver(metrics.requests, outbound, seconds)) : null,
    calleeErrors: outbound ? sumBy(CALLEE_LABELS, rateOver(metrics.requests, outbound, seconds, FAILED_REQUEST)) : null,
    calleeDenials: outbound ? sumBy(CALLEE_LABELS, rateOver(metrics.requests, outbound, seconds, POLICY_DENIAL)) : null,
  };
}

type Sample = { metric: Record<string, string>; value: [number, string] };
type PeerName = Pick<Peer, "namespace" | "name" | "workload">;

function combine(requests: Sample[], errors: Sample[], denials: Sample[], key: (labels: Record<string, string>) => PeerName): Peer[] {
  const id = (peer: PeerName) => `${peer.namespace}/${peer.name}/${peer.workload ?? ""}`;
  const errorsById = new Map(errors.map((sample) => [id(key(sample.metric)), Number(sample.value[1])]));
  const denialsById = new Map(denials.map((sample) => [id(key(sample.metric)), Number(sample.value[1])]));
  return requests
    .map((sample) => {
      const peer = key(sample.metric);
      const requestRate = Number(sample.value[1]);
      const errorsPerSecond = errorsById.get(id(peer)) ?? 0;
      return { ...peer, requestRate, errorsPerSecond, errorRate: requestRate > 0 ? errorsPerSecond / requestRate : 0, deniedPerSecond: denialsById.get(id(peer)) ?? 0 };
    })
    .sort((a, b) => b.requestRate - a.requestRate || a.name.localeCompare(b.name));
}

/** `metrics`: the metric names to read; detected on the shared client (recording rules) when not given. */
export async function fetchPeers(client: PrometheusClient, target: TrafficTarget, window: TimeWindow, metrics?: TelemetryMetricNames): Promise<Peers> {
  const queries = peerQueries(target, window, metrics ?? (await sharedMetricNames()));
  // One evaluation time for all, so each peer's failures and denials are of the same moment as its requests.
  const time = evaluationTime();
  const optional = (query: string | null) => (query ? client.instant(query, time) : Promise.resolve([]));
  const [callers, callerErrors, callerDenials, callees, calleeErrors, calleeDenials] = await Promise.all([
    client.instant(queries.callers, time),
    client.instant(queries.callerErrors, time),
    client.instant(queries.callerDenials, time),
    optional(queries.callees),
    optional(queries.calleeErrors),
    optional(queries.calleeDenials),
  ]);
  return {
    callers: combine(callers, callerErrors, callerDenials, (labels) => ({ namespace: labels.source_workload_namespace ?? "unknown", name: labels.source_workload ?? "unknown", workload: labels.source_workload ?? null })),
    callees: combine(callees, calleeErrors, calleeDenials, (labels) => ({
      namespace: labels.destination_service_namespace ?? "unknown",
      name: labels.destination_service_name ?? "unknown",
      workload: labels.destination_workload && labels.destination_workload !== "unknown" ? labels.destination_workload : null,
    })),
  };
}
