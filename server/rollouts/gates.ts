/**
 * A check's figures from Prometheus, through the canary analysis (server/routing/canaryAnalysis.ts):
 * the one definition of a failed request and the one version label, over the step's window. With
 * Gateway API routing the version Services are passed as backends, because Istio reports requests
 * routed to them with the version Service as `destination_service`.
 */
import { versionServiceName } from "@/lib/routing/httpRoute";
import type { GateReading } from "@/lib/rollouts/decision";
import { gateReadingOf } from "@/lib/rollouts/reading";
import type { RolloutRecord } from "@/lib/rollouts/record";
import type { PrometheusClient } from "@/server/prometheus";
import { canaryAnalysis } from "@/server/routing/canaryAnalysis";
import type { TelemetryMetricNames } from "@/server/telemetry";

/** `metrics`: the metric names to read (recording rules when Prometheus has them). */
export async function readGates(client: PrometheusClient, record: RolloutRecord, windowSeconds: number, metrics: TelemetryMetricNames): Promise<GateReading> {
  const ref = { namespace: record.namespace, service: record.service };
  const backends = record.api === "gateway-api" ? [record.stable, record.canary].map((version) => versionServiceName(record.service, version)) : [];
  const analysis = await canaryAnalysis(client, ref, windowSeconds, metrics, backends);
  return gateReadingOf(analysis, record.stable, record.canary);
}
