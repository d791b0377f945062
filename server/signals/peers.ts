/**
 * Who calls an object and whom it calls, with rates and failed shares over the window: four
 * instant queries. Callers are counted where the object's inbound traffic is counted, callees where
 * its outbound traffic is (server/telemetry/traffic.ts), failures as everywhere else
 * (server/telemetry/failedRequests.ts), so a peer's figures add up to the object's.
 */
import type { Peer, Peers } from "@/lib/signals/types";
import { durationSeconds, type TimeWindow } from "@/lib/timeWindows";
import type { PrometheusClient } from "@/server/prometheus/client";
import { evaluationTime, FAILED_REQUEST, RAW_METRICS, rateOver, sharedMetricNames, sumBy, targetScopes, type TelemetryMetricNames, type TrafficTarget } from "@/server/telemetry";

export type { Peer, Peers } from "@/lib/signals/types";

const CALLER_LABELS = ["source_workload_namespace", "source_workload"];
const CALLEE_LABELS = ["destination_service_namespace", "destination_service_name", "destination_workload"];

export function peerQueries(target: TrafficTarget, window: TimeWindow, metrics: TelemetryMetricNames = RAW_METRICS): { callers: string; callerErrors: string; callees: string | null; calleeErrors: string | null } {
  const seconds = Math.max(60, durationSeconds(window) ?? 300);
  const inbound = targetScopes(target, "inbound");
  // A service originates no traffic; its workloads do.
  const outbound = target.kind === "service" ? null : targetScopes(target, "outbound");
  return {
    callers: sumBy(CALLER_LABELS, rateOver(metrics.requests, inbound, seconds)),
    callerErrors: sumBy(CALLER_LABELS, rateOver(metrics.requests, inbound, seconds, FAILED_REQUEST)),
    callees: outbound ? sumBy(CALLEE_LABELS, rateOver(metrics.requests, outbound, seconds)) : null,
    calleeErrors: outbound ? sumBy(CALLEE_LABELS, rateOver(metrics.requests, outbound, seconds, FAILED_REQUEST)) : null,
  };
}

type Sample = { metric: Record<string, string>; value: [number, string] };
type PeerName = Pick<Peer, "namespace" | "name" | "workload">;

function combine(requests: Sample[], errors: Sample[], key: (labels: Record<string, string>) => PeerName): Peer[] {
  const id = (peer: PeerName) => `${peer.namespace}/${peer.name}/${peer.workload ?? ""}`;
  const errorsById = new Map(errors.map((sample) => [id(key(sample.metric)), Number(sample.value[1])]));
  return requests
    .map((sample) => {
      const peer = key(sample.metric);
      const requestRate = Number(sample.value[1]);
      const errorsPerSecond = errorsById.get(id(peer)) ?? 0;
      return { ...peer, requestRate, errorsPerSecond, errorRate: requestRate > 0 ? errorsPerSecond / requestRate : 0 };
    })
    .sort((a, b) => b.requestRate - a.requestRate || a.name.localeCompare(b.name));
}

/** `metrics`: the metric names to read; detected on the shared client (recording rules) when not given. */
export async function fetchPeers(client: PrometheusClient, target: TrafficTarget, window: TimeWindow, metrics?: TelemetryMetricNames): Promise<Peers> {
  const queries = peerQueries(target, window, metrics ?? (await sharedMetricNames()));
  // One evaluation time for all four, so each peer's failures are of the same moment as its requests.
  const time = evaluationTime();
  const [callers, callerErrors, callees, calleeErrors] = await Promise.all([
    client.instant(queries.callers, time),
    client.instant(queries.callerErrors, time),
    queries.callees ? client.instant(queries.callees, time) : Promise.resolve([]),
    queries.calleeErrors ? client.instant(queries.calleeErrors, time) : Promise.resolve([]),
  ]);
  return {
    callers: combine(callers, callerErrors, (labels) => ({ namespace: labels.source_workload_namespace ?? "unknown", name: labels.source_workload ?? "unknown", workload: labels.source_workload ?? null })),
    callees: combine(callees, calleeErrors, (labels) => ({
      namespace: labels.destination_service_namespace ?? "unknown",
      name: labels.destination_service_name ?? "unknown",
      workload: labels.destination_workload && labels.destination_workload !== "unknown" ? labels.destination_workload : null,
    })),
  };
}
