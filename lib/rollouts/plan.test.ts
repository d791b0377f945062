import { describe, expect, it } from "vitest";
import { planProblems, ROLLOUT_PRESETS, rolloutPlanSchema, stepsFromIncrement } from "./plan";

const valid = ROLLOUT_PRESETS.standard.plan;

describe("rollout plans", () => {
  it("accepts every preset", () => {
    for (const preset of Object.values(ROLLOUT_PRESETS)) expect(rolloutPlanSchema.safeParse(preset.plan).success).toBe(true);
  });

  it("explains each bad field by its path", () => {
    const problems = planProblems({ ...valid, steps: [10, 5, 100], stepSeconds: 3, gates: { ...valid.gates, minSuccessRate: 1.5 } });
    expect(problems.get("steps")).toBe("each step sends more to the canary than the one before");
    expect(problems.get("stepSeconds")).toBe("the wait per step is at least 10 s");
    expect(problems.get("gates.minSuccessRate")).toBe("a success rate is at most 100 %");
  });

  it("requires the last step to be the promotion", () => {
    expect(planProblems({ ...valid, steps: [10, 50] }).get("steps")).toBe("the last step sends 100 % to the canary: that is the promotion");
  });

  it("refuses a check interval longer than a step", () => {
    expect(planProblems({ ...valid, stepSeconds: 60, intervalSeconds: 120 }).get("intervalSeconds")).toMatch(/no longer than the wait per step/);
  });

  it("refuses fields it does not know rather than ignoring them", () => {
    expect(planProblems({ ...valid, stepWeight: 5 }).size).toBe(1);
  });

  it("builds steps from a step weight and a maximum", () => {
    expect(stepsFromIncrement(10, 50)).toEqual([10, 20, 30, 40, 50, 100]);
    expect(stepsFromIncrement(25, 100)).toEqual([25, 50, 75, 100]);
    expect(() => stepsFromIncrement(0, 50)).toThrow(/1 to 100/);
    expect(() => stepsFromIncrement(30, 20)).toThrow(/between the step weight and 100/);
  });
});
