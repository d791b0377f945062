import { describe, expect, it } from "vitest";
import { applyCommand, decideRolloutStep, describeEvaluation, evaluateGates, progressAfter, type GateReading, type RolloutProgress } from "./decision";
import type { RolloutPlan } from "./plan";

const plan: RolloutPlan = {
  steps: [10, 25, 50, 100],
  stepSeconds: 120,
  intervalSeconds: 30,
  gates: { minSuccessRate: 0.99, maxP95Ms: 500, maxP99Ms: null, maxP95IncreaseOverStable: 0.2, minRequestsPerCheck: 20 },
  failureLimit: 3,
};

const START = 1_000_000;
const progress = (overrides: Partial<RolloutProgress> = {}): RolloutProgress => ({ phase: "progressing", stepIndex: 0, stepStartedAt: START, failedChecks: 0, ...overrides });
const healthy: GateReading = { canaryRequests: 200, canarySuccessRate: 0.998, canaryP95Ms: 120, canaryP99Ms: 300, stableP95Ms: 110 };
const afterStep = START + 121_000;
const withinStep = START + 60_000;

describe("decideRolloutStep", () => {
  const cases: { name: string; progress: RolloutProgress; reading: GateReading; now: number; action: string; detail?: RegExp }[] = [
    { name: "holds a healthy step until it has been served for the wait", progress: progress(), reading: healthy, now: withinStep, action: "hold", detail: /held 60 of 120 s/ },
    { name: "advances a healthy step after the wait", progress: progress(), reading: healthy, now: afterStep, action: "advance" },
    { name: "promotes when the next step is the last", progress: progress({ stepIndex: 2 }), reading: healthy, now: afterStep, action: "promote" },
    { name: "holds a quiet canary instead of promoting it on no evidence", progress: progress({ stepIndex: 2 }), reading: { ...healthy, canaryRequests: 5, canarySuccessRate: 1 }, now: afterStep, action: "hold", detail: /5 of the 20 requests/ },
    { name: "counts a failed check when the success rate is under the gate", progress: progress(), reading: { ...healthy, canarySuccessRate: 0.9 }, now: afterStep, action: "fail", detail: /success rate 90.00 % below 99.00 %.*1 of 3/ },
    { name: "counts a failed check on absolute latency", progress: progress(), reading: { ...healthy, canaryP95Ms: 800 }, now: withinStep, action: "fail", detail: /p95 latency 800 ms above 500 ms/ },
    { name: "counts a failed check on latency against stable", progress: progress(), reading: { ...healthy, canaryP95Ms: 200, stableP95Ms: 100 }, now: afterStep, action: "fail", detail: /against stable 200 ms above 120 ms/ },
    { name: "aborts at the failure limit", progress: progress({ failedChecks: 2 }), reading: { ...healthy, canarySuccessRate: 0.5 }, now: afterStep, action: "abort", detail: /3 of 3 allowed times, restoring/ },
    { name: "holds while a latency figure is missing rather than advancing blind", progress: progress(), reading: { ...healthy, canaryP95Ms: null }, now: afterStep, action: "hold", detail: /waiting for p95 latency/ },
    { name: "does nothing while paused", progress: progress({ phase: "paused" }), reading: healthy, now: afterStep, action: "idle" },
    { name: "does nothing once aborted", progress: progress({ phase: "aborted" }), reading: healthy, now: afterStep, action: "idle" },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const decision = decideRolloutStep(plan, testCase.progress, testCase.reading, testCase.now);
      expect(decision.action).toBe(testCase.action);
      if (testCase.detail) expect("reason" in decision ? decision.reason : "").toMatch(testCase.detail);
    });
  }

  it("advances to the next step's weight", () => {
    const decision = decideRolloutStep(plan, progress({ stepIndex: 1 }), healthy, afterStep);
    expect(decision).toMatchObject({ action: "advance", toStepIndex: 2, weight: 50 });
  });

  it("a failing step never advances, however long it has been held", () => {
    const decision = decideRolloutStep(plan, progress(), { ...healthy, canarySuccessRate: 0.97 }, START + 10 * 3600_000);
    expect(decision.action).toBe("fail");
  });
});

describe("progressAfter", () => {
  it("starts the next step's clock when advancing, keeping the failure count", () => {
    const before = progress({ failedChecks: 1 });
    const next = progressAfter(plan, before, decideRolloutStep(plan, before, healthy, afterStep), afterStep);
    expect(next).toMatchObject({ phase: "progressing", stepIndex: 1, stepStartedAt: afterStep, failedChecks: 1 });
  });

  it("records an abort with its reason", () => {
    const before = progress({ failedChecks: 2 });
    const decision = decideRolloutStep(plan, before, { ...healthy, canarySuccessRate: 0.5 }, afterStep);
    const next = progressAfter(plan, before, decision, afterStep);
    expect(next.phase).toBe("aborted");
    expect(next.failedChecks).toBe(3);
    expect(next.reason).toMatch(/success rate 50.00 %/);
  });

  it("walks a healthy rollout from the first step to promotion", () => {
    let current = progress();
    let now = START;
    const weights: number[] = [plan.steps[0] ?? 0];
    for (let tick = 0; tick < 40 && current.phase === "progressing"; tick += 1) {
      now += plan.intervalSeconds * 1000;
      const decision = decideRolloutStep(plan, current, healthy, now);
      if (decision.action === "advance") weights.push(decision.weight);
      if (decision.action === "promote") weights.push(100);
      current = progressAfter(plan, current, decision, now);
    }
    expect(current.phase).toBe("promoted");
    expect(weights).toEqual([10, 25, 50, 100]);
  });
});

describe("applyCommand", () => {
  it("pauses and resumes with a fresh step clock", () => {
    const paused = applyCommand(plan, progress(), { command: "pause", by: "ana" }, withinStep);
    expect(paused).toMatchObject({ ok: true, progress: { phase: "paused", reason: "paused by ana" }, weight: null });
    if (!paused.ok) return;
    const resumed = applyCommand(plan, paused.progress, { command: "resume", by: "ana" }, afterStep);
    expect(resumed).toMatchObject({ ok: true, progress: { phase: "progressing", stepStartedAt: afterStep }, weight: 10 });
  });

  it("pauses when someone else edits the route, and says so", () => {
    const result = applyCommand(plan, progress(), { command: "routeChangedElsewhere", detail: "HTTPRoute catalog was changed by another writer" }, withinStep);
    expect(result).toMatchObject({ ok: true, progress: { phase: "paused", reason: "paused: HTTPRoute catalog was changed by another writer" } });
  });

  it("skips to a step and writes its weight", () => {
    expect(applyCommand(plan, progress(), { command: "skipTo", stepIndex: 2, by: "ana" }, withinStep)).toMatchObject({ ok: true, progress: { stepIndex: 2 }, weight: 50 });
  });

  it("refuses a step the plan does not have", () => {
    expect(applyCommand(plan, progress(), { command: "skipTo", stepIndex: 7, by: "ana" }, withinStep)).toEqual({ ok: false, reason: "there is no step 8: the plan has 4" });
  });

  it("abort restores the starting weights; promote writes 100", () => {
    expect(applyCommand(plan, progress(), { command: "abort", by: "ana" }, withinStep)).toMatchObject({ ok: true, progress: { phase: "aborted" }, weight: "start" });
    expect(applyCommand(plan, progress(), { command: "promote", by: "ana" }, withinStep)).toMatchObject({ ok: true, progress: { phase: "promoted", stepIndex: 3 }, weight: 100 });
  });

  it("refuses commands on a finished rollout", () => {
    expect(applyCommand(plan, progress({ phase: "promoted" }), { command: "abort", by: "ana" }, withinStep)).toEqual({ ok: false, reason: "the rollout is already promoted" });
  });
});

describe("evaluateGates", () => {
  it("leaves out the gates the plan does not set", () => {
    const gates = evaluateGates({ ...plan.gates, maxP95Ms: null, maxP95IncreaseOverStable: null }, healthy).map((evaluation) => evaluation.gate);
    expect(gates).toEqual(["requests", "successRate"]);
  });

  it("describes a figure against its threshold", () => {
    const [requests] = evaluateGates(plan.gates, healthy);
    expect(requests && describeEvaluation(requests)).toBe("requests 200 meets 20");
  });
});
