import { describe, expect, it } from "vitest";
import { ROLLOUT_PRESETS } from "./plan";
import { checkDue, checkWindowSeconds, gateReadingOf } from "./reading";

const plan = ROLLOUT_PRESETS.quick.plan; // 30 s steps, checks every 10 s

describe("what a check reads", () => {
  it.each([
    [3_000, 10],
    [25_000, 25],
    [400_000, 30],
  ])("a step served %i ms is read over %i s", (served, window) => {
    expect(checkWindowSeconds(plan, { stepStartedAt: 1_000_000 }, 1_000_000 + served)).toBe(window);
  });

  it("is due after the interval, or at once without an earlier check", () => {
    expect(checkDue(plan, null, 5)).toBe(true);
    expect(checkDue(plan, 1_000, 10_999)).toBe(false);
    expect(checkDue(plan, 1_000, 11_000)).toBe(true);
  });

  it("turns the per-version analysis into the canary's figures", () => {
    const reading = gateReadingOf(
      {
        windowSeconds: 30,
        versions: [
          { version: "v1", requestRate: 8, errorRate: 0, p95Ms: 20, p99Ms: 40, share: 0.8 },
          { version: "v2", requestRate: 2, errorRate: 0.25, p95Ms: 30, p99Ms: 90, share: 0.2 },
        ],
      },
      "v1",
      "v2",
    );
    expect(reading).toEqual({ canaryRequests: 60, canarySuccessRate: 0.75, canaryP95Ms: 30, canaryP99Ms: 90, stableP95Ms: 20 });
  });

  it("has no success rate for a canary without requests", () => {
    expect(gateReadingOf({ windowSeconds: 30, versions: [{ version: "v1", requestRate: 5, errorRate: 0, p95Ms: 10, p99Ms: 20, share: 1 }] }, "v1", "v2")).toEqual({
      canaryRequests: 0,
      canarySuccessRate: null,
      canaryP95Ms: null,
      canaryP99Ms: null,
      stableP95Ms: 10,
    });
  });
});
