/**
 * Canary verdicts: the canary version's golden signals compared with the stable version's over the
 * same window, against fixed thresholds, in words a release manager can act on.
 */
import { z } from "zod";

/**
 * A canary is held back when its error rate is more than 1 percentage point above stable's, or
 * its p95 latency more than 20 % above stable's (and at least 5 ms, so jitter on a fast service
 * does not fail it). The same limits are printed next to the verdict.
 */
export const CANARY_THRESHOLDS = { errorRatePoints: 0.01, latencyIncrease: 0.2, latencyFloorMs: 5 } as const;

export const versionSignalsSchema = z.object({
  version: z.string(),
  requestRate: z.number(),
  /** Share of requests answered 5xx, 0..1; null without requests. */
  errorRate: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  /** Share of the service's requests this version received, 0..1 (the observed split). */
  share: z.number(),
});
export type VersionSignals = z.infer<typeof versionSignalsSchema>;

export const canaryAnalysisSchema = z.object({
  windowSeconds: z.number(),
  versions: z.array(versionSignalsSchema),
});
export type CanaryAnalysis = z.infer<typeof canaryAnalysisSchema>;

export type VerdictStatus = "healthy" | "unhealthy" | "no-data";
export interface CanaryFinding {
  signal: "errorRate" | "p95";
  exceeded: boolean;
}
export interface CanaryVerdict {
  status: VerdictStatus;
  message: string;
  findings: CanaryFinding[];
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

export function canaryVerdict(canary: VersionSignals | undefined, stable: VersionSignals | undefined, canaryName: string, stableName: string): CanaryVerdict {
  if (!canary || !(canary.requestRate > 0)) return { status: "no-data", message: `canary ${canaryName} receives no traffic yet: nothing to judge`, findings: [] };
  if (!stable || !(stable.requestRate > 0)) return { status: "no-data", message: `stable ${stableName} receives no traffic: nothing to compare the canary with`, findings: [] };

  const findings: CanaryFinding[] = [];
  const problems: string[] = [];
  if (canary.errorRate !== null) {
    const stableErrors = stable.errorRate ?? 0;
    const exceeded = canary.errorRate - stableErrors > CANARY_THRESHOLDS.errorRatePoints;
    findings.push({ signal: "errorRate", exceeded });
    if (exceeded) problems.push(`canary error rate ${percent(canary.errorRate)} vs ${percent(stableErrors)} stable`);
  }
  if (canary.p95Ms !== null && stable.p95Ms !== null) {
    const limit = Math.max(stable.p95Ms * (1 + CANARY_THRESHOLDS.latencyIncrease), stable.p95Ms + CANARY_THRESHOLDS.latencyFloorMs);
    const exceeded = canary.p95Ms > limit;
    findings.push({ signal: "p95", exceeded });
    if (exceeded) problems.push(`canary p95 ${Math.round(canary.p95Ms)} ms vs ${Math.round(stable.p95Ms)} ms stable`);
  }
  if (problems.length > 0) return { status: "unhealthy", message: `${problems.join(", ")}: hold or roll back`, findings };
  return { status: "healthy", message: "canary healthy", findings };
}
