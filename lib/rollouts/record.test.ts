import { describe, expect, it } from "vitest";
import { ROLLOUT_PRESETS } from "./plan";
import { appendEvent, currentCanaryWeight, desiredWeights, needsDriver, newRolloutRecord, rolloutRecordSchema, sameWeights, summarize, weightsFor, type RolloutEvent } from "./record";

const NOW = Date.parse("2026-12-07T10:00:00Z");
const record = newRolloutRecord({
  namespace: "storefront",
  service: "catalog",
  api: "gateway-api",
  route: { kind: "HTTPRoute", name: "catalog" },
  stable: "v1",
  canary: "v2",
  startWeights: { v1: 80, v2: 20 },
  plan: ROLLOUT_PRESETS.standard.plan,
  by: "alice",
  now: NOW,
});

const check = (message: string, stepIndex = 0): RolloutEvent => ({ at: new Date(NOW).toISOString(), kind: "check", message, stepIndex, weight: 10 });

describe("rollout records", () => {
  it("start at the first step, with the start in the timeline and the first weights still to write", () => {
    expect(rolloutRecordSchema.parse(record)).toEqual(record);
    expect(record.weightsPending).toBe(true);
    expect(record.events[0]?.message).toBe("started by alice: v2 gets 10 → 25 → 50 → 100 % in 4 steps of 120 s, from v1 80 %, v2 20 %");
    expect(desiredWeights(record)).toEqual({ v1: 90, v2: 10 });
  });

  it("ask for the starting weights once aborted, and for the canary's step otherwise", () => {
    expect(weightsFor(record, 25)).toEqual({ v1: 75, v2: 25 });
    const aborted = { ...record, progress: { ...record.progress, phase: "aborted" as const, stepIndex: 2 } };
    expect(desiredWeights(aborted)).toEqual({ v1: 80, v2: 20 });
    expect(currentCanaryWeight(aborted)).toBe(20);
    const promoted = { ...record, progress: { ...record.progress, phase: "promoted" as const, stepIndex: 3 } };
    expect(desiredWeights(promoted)).toEqual({ v1: 0, v2: 100 });
  });

  it("compare splits with missing versions as 0", () => {
    expect(sameWeights({ v2: 100 }, { v1: 0, v2: 100 })).toBe(true);
    expect(sameWeights({ v1: 80, v2: 20 }, { v1: 70, v2: 30 })).toBe(false);
    expect(sameWeights(null, { v1: 100 })).toBe(false);
  });

  it("need a driver while progressing or while weights are still to be written", () => {
    expect(needsDriver(record)).toBe(true);
    expect(needsDriver({ ...record, weightsPending: false, progress: { ...record.progress, phase: "paused" } })).toBe(false);
    expect(needsDriver({ ...record, weightsPending: true, progress: { ...record.progress, phase: "aborted" } })).toBe(true);
  });

  it("fold repeated holds of one step into one entry with a count", () => {
    let events = appendEvent(record.events, check("checks pass; step 1 held 30 of 120 s"));
    events = appendEvent(events, check("checks pass; step 1 held 60 of 120 s"));
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ message: "checks pass; step 1 held 60 of 120 s", repeated: 2 });
    events = appendEvent(events, check("not enough traffic yet: the canary answered 3 of the 20 requests a check needs"));
    events = appendEvent(events, check("checks pass; step 2 held 30 of 120 s", 1));
    expect(events).toHaveLength(4);
  });

  it("keep the start and the newest entries past the limit", () => {
    let events = record.events;
    for (let index = 0; index < 10; index += 1) events = appendEvent(events, { ...check(`step ${index}`), kind: "failed-check", message: `failed ${"x".repeat(index)}` }, 5);
    expect(events).toHaveLength(5);
    expect(events[0]?.kind).toBe("started");
    expect(events[4]?.message).toBe(`failed ${"x".repeat(9)}`);
  });

  it("summarize for the list", () => {
    expect(summarize(record)).toMatchObject({ namespace: "storefront", service: "catalog", phase: "progressing", weight: 10, steps: [10, 25, 50, 100], startedBy: "alice" });
  });
});
