/**
 * Outlier detection as Envoy does it for a DestinationRule `outlierDetection`: a host that
 * returns N consecutive 5xx is ejected from its cluster's load-balancing pool for
 * baseEjectionTime × (times ejected), never ejecting more than maxEjectionPercent of the pool
 * except that one host may always be ejected.
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/outlier
 *
 * The simulator works per tick on counts, so "N consecutive errors happened" is turned into a
 * probability: among n requests with error share p, the expected number of runs of at least N
 * errors is about p^N·(1 + (n-N)·(1-p)), and a run occurs with probability 1 - e^(-that).
 * A workload's replicas fail alike, so a whole workload is ejected at once.
 */
import type { Workload } from "./mesh";
import { parseDurationMs, type TrafficPolicy } from "./mesh-schemas";
import type { Random } from "./random";

export interface OutlierSettings {
  consecutive5xxErrors: number;
  baseEjectionMs: number;
  maxEjectionPercent: number;
}

/** Undefined when the policy has no outlier detection (or disables the 5xx check). */
export function outlierSettingsOf(policy: TrafficPolicy, where: string): OutlierSettings | undefined {
  const detection = policy.outlierDetection;
  if (!detection) return undefined;
  const consecutive = detection.consecutive5xxErrors ?? detection.consecutiveErrors ?? 5;
  if (consecutive === 0) return undefined;
  return {
    consecutive5xxErrors: consecutive,
    baseEjectionMs: detection.baseEjectionTime
      ? parseDurationMs(detection.baseEjectionTime, `${where}.outlierDetection.baseEjectionTime`)
      : 30_000,
    maxEjectionPercent: detection.maxEjectionPercent ?? 10,
  };
}

/** Envoy caps how long repeated ejections can last (max_ejection_time default). */
const MAX_EJECTION_MS = 300_000;

interface HostState {
  ejectedUntil: number;
  timesEjected: number;
}

export class OutlierDetector {
  private readonly clusters = new Map<string, Map<string, HostState>>();

  isEjected(cluster: string, workload: Workload, nowMs: number): boolean {
    const state = this.clusters.get(cluster)?.get(workload.key);
    return state !== undefined && state.ejectedUntil > nowMs;
  }

  /** Workloads of the pool still taking traffic. */
  healthyEndpoints(cluster: string, endpoints: readonly Workload[], nowMs: number): Workload[] {
    const states = this.clusters.get(cluster);
    if (!states) return [...endpoints];
    return endpoints.filter((w) => !((states.get(w.key)?.ejectedUntil ?? 0) > nowMs));
  }

  /** Feeds one tick of results for a host of the cluster; may eject it. Returns true on ejection. */
  observe(
    cluster: string,
    settings: OutlierSettings,
    pool: readonly Workload[],
    workload: Workload,
    requests: number,
    serverErrors: number,
    nowMs: number,
    random: Random,
  ): boolean {
    if (requests <= 0 || serverErrors <= 0 || this.isEjected(cluster, workload, nowMs)) return false;
    const replicas = Math.max(1, workload.replicas);
    const perHostRequests = requests / replicas;
    const errorShare = serverErrors / requests;
    const n = settings.consecutive5xxErrors;
    if (perHostRequests < n) return false;
    // Runs of n errors: one may start the tick, or follow any success.
    const expectedRuns = errorShare ** n * (1 + (perHostRequests - n) * (1 - errorShare));
    const probability = errorShare === 1 ? 1 : 1 - Math.exp(-expectedRuns);
    if (random.next() >= probability) return false;

    let states = this.clusters.get(cluster);
    if (!states) {
      states = new Map();
      this.clusters.set(cluster, states);
    }
    const poolSize = pool.reduce((sum, w) => sum + w.replicas, 0);
    const alreadyEjected = pool
      .filter((w) => (states.get(w.key)?.ejectedUntil ?? 0) > nowMs)
      .reduce((sum, w) => sum + w.replicas, 0);
    const allowed = (poolSize * settings.maxEjectionPercent) / 100;
    if (alreadyEjected > 0 && alreadyEjected + replicas > allowed) return false;

    const previous = states.get(workload.key);
    const timesEjected = (previous?.timesEjected ?? 0) + 1;
    states.set(workload.key, {
      timesEjected,
      ejectedUntil: nowMs + Math.min(MAX_EJECTION_MS, settings.baseEjectionMs * timesEjected),
    });
    return true;
  }

  /** Forgets clusters that no longer exist after a config change. */
  retain(clusters: ReadonlySet<string>): void {
    for (const cluster of this.clusters.keys()) if (!clusters.has(cluster)) this.clusters.delete(cluster);
  }
}
