import { describe, expect, it } from "vitest";
import { worstHealth } from "./rollup";

describe("worstHealth", () => {
  it("takes the worst member, and no-traffic for an empty group", () => {
    expect(worstHealth(["healthy", "degraded", "no-traffic"])).toBe("degraded");
    expect(worstHealth(["healthy", "failing", "degraded"])).toBe("failing");
    expect(worstHealth(["no-traffic", "healthy"])).toBe("healthy");
    expect(worstHealth([])).toBe("no-traffic");
  });
});
