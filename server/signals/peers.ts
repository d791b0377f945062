/**
 * Who calls an object and whom it calls, with rates and error rates over the window: four instant
 * queries. Callers are counted as Istio reports them at the caller (plus calls from outside the
 * mesh, which only the destination sees); callees by destination service.
 */
import { durationSeconds, type TimeWindow } from "@/lib/timeWindows";
import type { PrometheusClient } from "@/server/prometheus/client";
import { rateOver, trafficSelectors, type SignalTarget } from "./queries";

export interface Peer {
  namespace: string;
  name: string;
  /** For callees: the workload behind the service that answered, when known. */
  workload: string | null;
  requestRate: number;
  errorRate: number;
}

export interface Peers {
  callers: Peer[];
  callees: Peer[];
}

const CALLER_LABELS = ["source_workload_namespace", "source_workload"];
const CALLEE_LABELS = ["destination_service_namespace", "destination_service_name", "destination_workload"];

export function peerQueries(target: SignalTarget, window: TimeWindow): { callers: string; callerErrors: string; callees: string | null; calleeErrors: string | null } {
  const seconds = Math.max(60, durationSeconds(window) ?? 300);
  const inbound = trafficSelectors(target, "inbound");
  const inboundErrors = trafficSelectors(target, "inbound", [{ label: "response_code", pattern: "5.." }]);
  const sum = (labels: string[], selectors: string[]) => `sum by (${labels.join(", ")}) (${rateOver("istio_requests_total", selectors, seconds)})`;
  // A service originates no traffic; its workloads do.
  const outbound = target.kind === "service" ? null : trafficSelectors(target, "outbound");
  const outboundErrors = target.kind === "service" ? null : trafficSelectors(target, "outbound", [{ label: "response_code", pattern: "5.." }]);
  return {
    callers: sum(CALLER_LABELS, inbound),
    callerErrors: sum(CALLER_LABELS, inboundErrors),
    callees: outbound ? sum(CALLEE_LABELS, outbound) : null,
    calleeErrors: outboundErrors ? sum(CALLEE_LABELS, outboundErrors) : null,
  };
}

type Sample = { metric: Record<string, string>; value: [number, string] };

function combine(requests: Sample[], errors: Sample[], key: (labels: Record<string, string>) => Omit<Peer, "requestRate" | "errorRate">): Peer[] {
  const id = (peer: Omit<Peer, "requestRate" | "errorRate">) => `${peer.namespace}/${peer.name}/${peer.workload ?? ""}`;
  const errorsById = new Map(errors.map((sample) => [id(key(sample.metric)), Number(sample.value[1])]));
  return requests
    .map((sample) => {
      const peer = key(sample.metric);
      return { ...peer, requestRate: Number(sample.value[1]), errorRate: errorsById.get(id(peer)) ?? 0 };
    })
    .sort((a, b) => b.requestRate - a.requestRate || a.name.localeCompare(b.name));
}

export async function fetchPeers(client: PrometheusClient, target: SignalTarget, window: TimeWindow): Promise<Peers> {
  const queries = peerQueries(target, window);
  const [callers, callerErrors, callees, calleeErrors] = await Promise.all([
    client.instant(queries.callers),
    client.instant(queries.callerErrors),
    queries.callees ? client.instant(queries.callees) : Promise.resolve([]),
    queries.calleeErrors ? client.instant(queries.calleeErrors) : Promise.resolve([]),
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
