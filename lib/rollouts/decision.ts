/**
 * The rollout loop's decisions: given the plan, where the rollout is, and what Prometheus says about
 * the canary now, what happens next: advance, hold (not enough evidence yet), count a failed check,
 * abort (past the failure limit) or promote (the last step reached). Pure, so every decision is a
 * table test and the driver in server/rollouts only reads, decides and writes.
 */
import type { RolloutGates, RolloutPlan } from "./plan";

export type RolloutPhase = "progressing" | "paused" | "promoted" | "aborted";

export interface RolloutProgress {
  phase: RolloutPhase;
  /** Index into plan.steps of the weight the route carries now. */
  stepIndex: number;
  /** When the current step's weights were written (ms since the epoch). */
  stepStartedAt: number;
  /** Failed checks over the whole rollout. */
  failedChecks: number;
  /** Why the rollout is paused, aborted or promoted, in words for the timeline. */
  reason?: string;
}

/** What Prometheus says about the canary (and stable, for relative gates) over the check's window. */
export interface GateReading {
  /** Requests the canary answered in the window. */
  canaryRequests: number;
  /** 0..1; null without requests. */
  canarySuccessRate: number | null;
  canaryP95Ms: number | null;
  canaryP99Ms: number | null;
  stableP95Ms: number | null;
}

export type GateName = "requests" | "successRate" | "p95" | "p99" | "p95VsStable";

export interface GateEvaluation {
  gate: GateName;
  /** The measured figure (a count, a share 0..1 or milliseconds); null when Prometheus had none. */
  value: number | null;
  /** The limit it is held against, in the same unit. */
  threshold: number;
  /** null: no figure to judge (not a failure, not a pass). */
  passed: boolean | null;
}

export type RolloutDecision =
  | { action: "hold"; reason: string; evaluations: GateEvaluation[] }
  | { action: "advance"; toStepIndex: number; weight: number; evaluations: GateEvaluation[] }
  | { action: "promote"; evaluations: GateEvaluation[] }
  | { action: "fail"; failedChecks: number; reason: string; evaluations: GateEvaluation[] }
  | { action: "abort"; reason: string; evaluations: GateEvaluation[] }
  | { action: "idle"; reason: string };

function judge(value: number | null, threshold: number, passes: (value: number) => boolean): Pick<GateEvaluation, "value" | "threshold" | "passed"> {
  return { value, threshold, passed: value === null ? null : passes(value) };
}

/** Every gate of the plan against the reading, the request count first. */
export function evaluateGates(gates: RolloutGates, reading: GateReading): GateEvaluation[] {
  const evaluations: GateEvaluation[] = [
    { gate: "requests", ...judge(reading.canaryRequests, gates.minRequestsPerCheck, (count) => count >= gates.minRequestsPerCheck) },
    { gate: "successRate", ...judge(reading.canarySuccessRate, gates.minSuccessRate, (rate) => rate >= gates.minSuccessRate) },
  ];
  if (gates.maxP95Ms !== null) evaluations.push({ gate: "p95", ...judge(reading.canaryP95Ms, gates.maxP95Ms, (ms) => ms <= gates.maxP95Ms!) });
  if (gates.maxP99Ms !== null) evaluations.push({ gate: "p99", ...judge(reading.canaryP99Ms, gates.maxP99Ms, (ms) => ms <= gates.maxP99Ms!) });
  if (gates.maxP95IncreaseOverStable !== null) {
    const limit = reading.stableP95Ms === null ? null : reading.stableP95Ms * (1 + gates.maxP95IncreaseOverStable);
    evaluations.push({
      gate: "p95VsStable",
      value: limit === null ? null : reading.canaryP95Ms,
      threshold: limit ?? 0,
      passed: limit === null || reading.canaryP95Ms === null ? null : reading.canaryP95Ms <= limit,
    });
  }
  return evaluations;
}

/** Each gate in words, for the timeline and the form. */
export const GATE_WORDS: Record<GateName, string> = {
  requests: "requests",
  successRate: "success rate",
  p95: "p95 latency",
  p99: "p99 latency",
  p95VsStable: "p95 latency against stable",
};

/** A gate's figure in its unit: a count, a percentage or milliseconds. */
export function figure(gate: GateName, value: number): string {
  if (gate === "requests") return String(Math.round(value));
  if (gate === "successRate") return `${(value * 100).toFixed(2)} %`;
  return `${Math.round(value)} ms`;
}

/** "success rate 97.50 % below 99.00 %", for the timeline and the reason of a failed check. */
export function describeEvaluation(evaluation: GateEvaluation): string {
  const words = GATE_WORDS[evaluation.gate];
  if (evaluation.value === null || evaluation.passed === null) return `${words}: no data`;
  const lowerIsBetter = evaluation.gate !== "requests" && evaluation.gate !== "successRate";
  const relation = evaluation.passed ? (lowerIsBetter ? "within" : "meets") : lowerIsBetter ? "above" : "below";
  return `${words} ${figure(evaluation.gate, evaluation.value)} ${relation} ${figure(evaluation.gate, evaluation.threshold)}`;
}

/** The canary weight of a step; the plan's schema guarantees steps, so an index past them is a bug. */
export function stepWeight(plan: RolloutPlan, stepIndex: number): number {
  const weight = plan.steps[stepIndex];
  if (weight === undefined) throw new RangeError(`step ${stepIndex + 1} is not in a plan of ${plan.steps.length}`);
  return weight;
}

/** The decision of one check. `now` in ms since the epoch. */
export function decideRolloutStep(plan: RolloutPlan, progress: RolloutProgress, reading: GateReading, now: number): RolloutDecision {
  if (progress.phase !== "progressing") return { action: "idle", reason: `the rollout is ${progress.phase}` };
  const evaluations = evaluateGates(plan.gates, reading);
  const requests = evaluations[0];
  const signals = evaluations.slice(1);
  if (!requests?.passed) {
    return { action: "hold", reason: `not enough traffic yet: the canary answered ${Math.round(reading.canaryRequests)} of the ${plan.gates.minRequestsPerCheck} requests a check needs`, evaluations };
  }
  const failed = signals.filter((evaluation) => evaluation.passed === false);
  if (failed.length > 0) {
    const failedChecks = progress.failedChecks + 1;
    const what = failed.map(describeEvaluation).join("; ");
    if (failedChecks >= plan.failureLimit) {
      return { action: "abort", reason: `${what}: check failed ${failedChecks} of ${plan.failureLimit} allowed times, restoring the starting weights`, evaluations };
    }
    return { action: "fail", failedChecks, reason: `${what}: failed check ${failedChecks} of ${plan.failureLimit} allowed`, evaluations };
  }
  const unknown = signals.filter((evaluation) => evaluation.passed === null);
  if (unknown.length > 0) return { action: "hold", reason: `waiting for ${unknown.map((e) => GATE_WORDS[e.gate]).join(" and ")} figures`, evaluations };

  const heldSeconds = (now - progress.stepStartedAt) / 1000;
  if (heldSeconds < plan.stepSeconds) {
    return { action: "hold", reason: `checks pass; step ${progress.stepIndex + 1} held ${Math.floor(heldSeconds)} of ${plan.stepSeconds} s`, evaluations };
  }
  const next = progress.stepIndex + 1;
  if (next >= plan.steps.length - 1) return { action: "promote", evaluations };
  return { action: "advance", toStepIndex: next, weight: stepWeight(plan, next), evaluations };
}

/** The progress after a decision has been carried out (its weights written, when it writes any). */
export function progressAfter(plan: RolloutPlan, progress: RolloutProgress, decision: RolloutDecision, now: number): RolloutProgress {
  switch (decision.action) {
    case "advance":
      return { ...progress, stepIndex: decision.toStepIndex, stepStartedAt: now };
    case "promote":
      return { ...progress, phase: "promoted", stepIndex: plan.steps.length - 1, stepStartedAt: now, reason: "every step passed its checks" };
    case "fail":
      return { ...progress, failedChecks: decision.failedChecks };
    case "abort":
      return { ...progress, phase: "aborted", failedChecks: progress.failedChecks + 1, stepStartedAt: now, reason: decision.reason };
    case "hold":
    case "idle":
      return progress;
  }
}

/** What a person can do to a rollout by hand, and what someone else's edit of the route does to it. */
export type RolloutCommand =
  | { command: "pause"; by: string }
  | { command: "resume"; by: string }
  | { command: "skipTo"; stepIndex: number; by: string }
  | { command: "abort"; by: string }
  | { command: "promote"; by: string }
  | { command: "routeChangedElsewhere"; detail: string };

export type CommandResult = { ok: true; progress: RolloutProgress; weight: number | "start" | null } | { ok: false; reason: string };

/**
 * A command's effect. `weight` says what to write: a canary weight, "start" (the weights the
 * rollout started from) or null (nothing).
 */
export function applyCommand(plan: RolloutPlan, progress: RolloutProgress, command: RolloutCommand, now: number): CommandResult {
  const finished = progress.phase === "promoted" || progress.phase === "aborted";
  if (finished) return { ok: false, reason: `the rollout is already ${progress.phase}` };
  switch (command.command) {
    case "pause":
      if (progress.phase === "paused") return { ok: false, reason: "the rollout is already paused" };
      return { ok: true, progress: { ...progress, phase: "paused", reason: `paused by ${command.by}` }, weight: null };
    case "routeChangedElsewhere":
      return { ok: true, progress: { ...progress, phase: "paused", reason: `paused: ${command.detail}` }, weight: null };
    case "resume":
      if (progress.phase !== "paused") return { ok: false, reason: "only a paused rollout can resume" };
      // The step's clock restarts: the time spent paused is no evidence.
      return { ok: true, progress: { ...progress, phase: "progressing", stepStartedAt: now, reason: `resumed by ${command.by}` }, weight: stepWeight(plan, progress.stepIndex) };
    case "skipTo": {
      if (!Number.isInteger(command.stepIndex) || command.stepIndex < 0 || command.stepIndex >= plan.steps.length) {
        return { ok: false, reason: `there is no step ${command.stepIndex + 1}: the plan has ${plan.steps.length}` };
      }
      if (command.stepIndex === plan.steps.length - 1) return applyCommand(plan, progress, { command: "promote", by: command.by }, now);
      return { ok: true, progress: { ...progress, stepIndex: command.stepIndex, stepStartedAt: now, reason: `moved to step ${command.stepIndex + 1} by ${command.by}` }, weight: stepWeight(plan, command.stepIndex) };
    }
    case "abort":
      return { ok: true, progress: { ...progress, phase: "aborted", stepStartedAt: now, reason: `aborted by ${command.by}` }, weight: "start" };
    case "promote":
      return { ok: true, progress: { ...progress, phase: "promoted", stepIndex: plan.steps.length - 1, stepStartedAt: now, reason: `promoted by ${command.by}` }, weight: 100 };
  }
}
