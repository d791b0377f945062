/**
 * istiod's health from its own metrics, as operators watch it: how many proxies are connected,
 * how often config is pushed, how long pushes take to reach every proxy, and whether proxies
 * reject what they are sent (a rejected config means some proxies run stale routing).
 * https://istio.io/latest/docs/reference/commands/pilot-discovery/#metrics
 */
import { durationSeconds, type TimeWindow } from "@/lib/timeWindows";
import type { PrometheusClient } from "@/server/prometheus/client";

/** Convergence slower than this p99 is worth a warning: proxies run old config for seconds. */
export const SLOW_CONVERGENCE_SECONDS = 1;

export interface ControlPlaneHealth {
  connectedProxies: number | null;
  pushesPerMinute: number | null;
  convergenceP99Seconds: number | null;
  rejectsInWindow: number | null;
  warnings: string[];
}

export function controlPlaneQueries(window: TimeWindow) {
  const seconds = Math.max(60, durationSeconds(window) ?? 300);
  return {
    connectedProxies: "sum(pilot_xds)",
    pushesPerMinute: `sum(rate(pilot_xds_pushes[${seconds}s])) * 60`,
    convergenceP99Seconds: `histogram_quantile(0.99, sum by (le) (rate(pilot_proxy_convergence_time_bucket[${seconds}s])))`,
    rejectsInWindow: `sum(increase(pilot_total_xds_rejects[${seconds}s]))`,
  };
}

function scalarOf(samples: { value: [number, string] }[]): number | null {
  const value = samples[0] ? Number(samples[0].value[1]) : NaN;
  return Number.isFinite(value) ? value : null;
}

export function controlPlaneWarnings(health: Omit<ControlPlaneHealth, "warnings">): string[] {
  const warnings: string[] = [];
  if (health.connectedProxies === null) warnings.push("No istiod metrics found: is Prometheus scraping istiod?");
  if (health.rejectsInWindow !== null && health.rejectsInWindow >= 0.5) {
    warnings.push(`Proxies rejected ${Math.round(health.rejectsInWindow)} config push${Math.round(health.rejectsInWindow) === 1 ? "" : "es"} in this window: some run stale config; check istioctl proxy-status and the latest config change`);
  }
  if (health.convergenceP99Seconds !== null && health.convergenceP99Seconds > SLOW_CONVERGENCE_SECONDS) {
    warnings.push(`Config takes ${health.convergenceP99Seconds.toFixed(1)} s to reach 99 % of proxies (over ${SLOW_CONVERGENCE_SECONDS} s)`);
  }
  return warnings;
}

export async function fetchControlPlaneHealth(client: PrometheusClient, window: TimeWindow): Promise<ControlPlaneHealth> {
  const queries = controlPlaneQueries(window);
  const [connected, pushes, convergence, rejects] = await Promise.all([
    client.instant(queries.connectedProxies),
    client.instant(queries.pushesPerMinute),
    client.instant(queries.convergenceP99Seconds),
    client.instant(queries.rejectsInWindow),
  ]);
  const health = { connectedProxies: scalarOf(connected), pushesPerMinute: scalarOf(pushes), convergenceP99Seconds: scalarOf(convergence), rejectsInWindow: scalarOf(rejects) };
  return { ...health, warnings: controlPlaneWarnings(health) };
}
