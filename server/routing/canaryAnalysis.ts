/**
 * Golden signals per version of one service, side by side, for canary analysis and for the
 * observed split (each version's share of the requests). Requests are counted as the service's
 * signals are (server/signals/queries.ts): at the caller, plus what only the destination reports
 * (callers outside the mesh), grouped by the destination workload's `version` label.
 */
import type { CanaryAnalysis, VersionSignals } from "@/lib/routing/canary";
import type { PrometheusClient } from "@/server/prometheus/client";
import { rateOver, trafficSelectors } from "@/server/signals/queries";
import type { ServiceRef } from "./istioObjects";

const VERSION_LABEL = "destination_version";

export function canaryQueries(ref: ServiceRef, windowSeconds: number): { requests: string; errors: string; p95: string; p99: string } {
  const target = { kind: "service" as const, namespace: ref.namespace, name: ref.service };
  const all = trafficSelectors(target, "inbound");
  const serverErrors = trafficSelectors(target, "inbound", [{ label: "response_code", pattern: "5.." }]);
  const quantile = (q: number) => `histogram_quantile(${q}, sum by (le, ${VERSION_LABEL}) (${rateOver("istio_request_duration_milliseconds_bucket", all, windowSeconds)}))`;
  return {
    requests: `sum by (${VERSION_LABEL}) (${rateOver("istio_requests_total", all, windowSeconds)})`,
    errors: `sum by (${VERSION_LABEL}) (${rateOver("istio_requests_total", serverErrors, windowSeconds)})`,
    p95: quantile(0.95),
    p99: quantile(0.99),
  };
}

function byVersion(samples: readonly { metric: Record<string, string>; value: [number, string] }[]): Map<string, number> {
  const values = new Map<string, number>();
  for (const sample of samples) {
    const value = Number(sample.value[1]);
    if (Number.isFinite(value)) values.set(sample.metric[VERSION_LABEL] ?? "unknown", value);
  }
  return values;
}

export async function canaryAnalysis(client: PrometheusClient, ref: ServiceRef, windowSeconds: number): Promise<CanaryAnalysis> {
  const queries = canaryQueries(ref, windowSeconds);
  const [requests, errors, p95, p99] = await Promise.all([client.instant(queries.requests), client.instant(queries.errors), client.instant(queries.p95), client.instant(queries.p99)].map((promise) => promise.then(byVersion)));
  const total = [...requests!.values()].reduce((a, b) => a + b, 0);
  const versions: VersionSignals[] = [...requests!.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([version, requestRate]) => ({
      version,
      requestRate,
      errorRate: requestRate > 0 ? (errors!.get(version) ?? 0) / requestRate : null,
      p95Ms: p95!.get(version) ?? null,
      p99Ms: p99!.get(version) ?? null,
      share: total > 0 ? requestRate / total : 0,
    }));
  return { windowSeconds, versions };
}
