/**
 * The console's own metrics, exposed on /metrics for the Prometheus that watches the console.
 * One registry per process, kept on globalThis because Next.js may load this module in more than
 * one bundle (and reloads it in development).
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

export type Upstream = "prometheus" | "kubernetes";

interface ConsoleMetrics {
  registry: Registry;
  httpRequestDuration: Histogram<"route" | "method" | "status">;
  httpErrors: Counter<"route" | "status">;
  upstreamDuration: Histogram<"upstream" | "operation" | "outcome">;
  upstreamErrors: Counter<"upstream" | "reason">;
}

function createMetrics(): ConsoleMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "mesh_console_" });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: "mesh_console_http_request_duration_seconds",
      help: "Time to answer a console API request, by route template, method and status code.",
      labelNames: ["route", "method", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    httpErrors: new Counter({
      name: "mesh_console_http_errors_total",
      help: "Console API requests answered with a 4xx or 5xx status, by route template and status code.",
      labelNames: ["route", "status"],
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: "mesh_console_upstream_request_duration_seconds",
      help: "Time of calls from the console to Prometheus and the Kubernetes API, by operation and outcome.",
      labelNames: ["upstream", "operation", "outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    upstreamErrors: new Counter({
      name: "mesh_console_upstream_errors_total",
      help: "Failed calls from the console to Prometheus and the Kubernetes API, by reason (timeout, unreachable, http status, invalid response).",
      labelNames: ["upstream", "reason"],
      registers: [registry],
    }),
  };
}

const globalKey = Symbol.for("mesh-console.metrics");
type GlobalWithMetrics = typeof globalThis & { [globalKey]?: ConsoleMetrics };

export function consoleMetrics(): ConsoleMetrics {
  const holder = globalThis as GlobalWithMetrics;
  holder[globalKey] ??= createMetrics();
  return holder[globalKey];
}

/** Times one call to an upstream and records its outcome; the error is rethrown untouched. */
export async function observeUpstream<T>(upstream: Upstream, operation: string, call: () => Promise<T>, reasonOf: (error: unknown) => string): Promise<T> {
  const metrics = consoleMetrics();
  const stop = metrics.upstreamDuration.startTimer({ upstream, operation });
  try {
    const result = await call();
    stop({ outcome: "success" });
    return result;
  } catch (error) {
    stop({ outcome: "error" });
    metrics.upstreamErrors.inc({ upstream, reason: reasonOf(error) });
    throw error;
  }
}
