/**
 * The console's Prometheus access: one shared client per process, built from the configuration.
 */
import { getConfig } from "@/server/config";
import { createPrometheusClient, type PrometheusClient } from "./client";
import { shareQueries } from "./sharing";

export { PrometheusError } from "./errors";
export type { PrometheusClient, RangeOptions } from "./client";
export type { MatrixSeries, VectorSample } from "./responses";
export * from "./promql";

/** How long an identical query's answer is reused across viewers. */
export const SHARED_QUERY_TTL_MS = 5_000;

const globalKey = Symbol.for("mesh-console.prometheus");
type GlobalWithClient = typeof globalThis & { [globalKey]?: PrometheusClient };

export function prometheus(): PrometheusClient {
  const holder = globalThis as GlobalWithClient;
  holder[globalKey] ??= shareQueries(createPrometheusClient(getConfig().prometheus), SHARED_QUERY_TTL_MS);
  return holder[globalKey];
}
