/**
 * From the per-version canary analysis (server/routing/canaryAnalysis.ts, which counts and fails
 * requests as every other view does) to the figures a rollout's gates judge, and the window a check
 * reads.
 */
import type { CanaryAnalysis } from "@/lib/routing/canary";
import type { GateReading, RolloutProgress } from "./decision";
import type { RolloutPlan } from "./plan";

/** Rate windows shorter than a few scrape intervals give no data (the canary analysis API's floor too). */
export const MIN_CHECK_WINDOW_SECONDS = 10;

/**
 * The window a check reads: the time the current step has been served, so a step is judged on its
 * own weights, at least MIN_CHECK_WINDOW_SECONDS and at most the wait per step.
 */
export function checkWindowSeconds(plan: RolloutPlan, progress: Pick<RolloutProgress, "stepStartedAt">, now: number): number {
  const served = Math.floor((now - progress.stepStartedAt) / 1000);
  return Math.max(MIN_CHECK_WINDOW_SECONDS, Math.min(plan.stepSeconds, served));
}

/** The canary's figures (and stable's p95) from the analysis; requests are the rate times the window. */
export function gateReadingOf(analysis: CanaryAnalysis, stable: string, canary: string): GateReading {
  const canarySignals = analysis.versions.find((version) => version.version === canary);
  const stableSignals = analysis.versions.find((version) => version.version === stable);
  const canaryRequests = canarySignals ? canarySignals.requestRate * analysis.windowSeconds : 0;
  return {
    canaryRequests,
    canarySuccessRate: canarySignals && canarySignals.errorRate !== null && canaryRequests > 0 ? 1 - canarySignals.errorRate : null,
    canaryP95Ms: canarySignals?.p95Ms ?? null,
    canaryP99Ms: canarySignals?.p99Ms ?? null,
    stableP95Ms: stableSignals?.p95Ms ?? null,
  };
}

/** Whether a check is due: the interval has passed since the last one (or none was made). */
export function checkDue(plan: RolloutPlan, lastCheckAt: number | null, now: number): boolean {
  return lastCheckAt === null || now - lastCheckAt >= plan.intervalSeconds * 1000;
}
