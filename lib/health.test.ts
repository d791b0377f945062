import { describe, expect, it } from "vitest";
import { ERROR_RATE_THRESHOLDS, healthFromErrorRate } from "./health";

describe("healthFromErrorRate", () => {
  it("calls a service without requests no-traffic, not healthy", () => {
    expect(healthFromErrorRate(0, 0)).toBe("no-traffic");
  });

  it("turns degraded at 0.1 % errors and failing at 20 %", () => {
    expect(healthFromErrorRate(1000, 0.9)).toBe("healthy");
    expect(healthFromErrorRate(1000, 1000 * ERROR_RATE_THRESHOLDS.degraded)).toBe("degraded");
    expect(healthFromErrorRate(10, 1.99)).toBe("degraded");
    expect(healthFromErrorRate(10, 10 * ERROR_RATE_THRESHOLDS.failing)).toBe("failing");
    expect(healthFromErrorRate(10, 10)).toBe("failing");
  });
});
