import { describe, expect, it } from "vitest";
import { ROLLOUT_PRESETS } from "./plan";
import { rolloutCommandSchema, startRolloutSchema } from "./requests";

describe("rollout requests", () => {
  it("refuses a canary that is the stable version, naming the field", () => {
    const result = startRolloutSchema.safeParse({ stable: "v1", canary: "v1", plan: ROLLOUT_PRESETS.quick.plan });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["canary"], message: "the canary and the stable version are different versions" });
  });

  it("refuses a version that could not be a label value", () => {
    expect(startRolloutSchema.safeParse({ stable: "v1", canary: "V2/../x", plan: ROLLOUT_PRESETS.quick.plan }).success).toBe(false);
  });

  it("takes the commands by hand, and a step only with skipTo", () => {
    expect(rolloutCommandSchema.parse({ command: "skipTo", stepIndex: 2 })).toEqual({ command: "skipTo", stepIndex: 2 });
    expect(rolloutCommandSchema.safeParse({ command: "pause", stepIndex: 2 }).success).toBe(false);
    expect(rolloutCommandSchema.safeParse({ command: "restart" }).success).toBe(false);
  });
});
