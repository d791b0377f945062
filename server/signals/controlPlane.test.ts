import { describe, expect, it } from "vitest";
import { controlPlaneWarnings } from "./controlPlane";

const calm = { connectedProxies: 12, pushesPerMinute: 3, convergenceP99Seconds: 0.2, rejectsInWindow: 0 };

describe("controlPlaneWarnings", () => {
  it("says nothing when istiod is calm", () => {
    expect(controlPlaneWarnings(calm)).toEqual([]);
  });

  it("warns when proxies reject config and when pushes converge slowly", () => {
    const warnings = controlPlaneWarnings({ ...calm, rejectsInWindow: 2, convergenceP99Seconds: 4.2 });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("rejected 2 config pushes");
    expect(warnings[1]).toContain("4.2 s");
  });

  it("says when istiod's metrics are missing altogether", () => {
    expect(controlPlaneWarnings({ connectedProxies: null, pushesPerMinute: null, convergenceP99Seconds: null, rejectsInWindow: null })[0]).toContain("No istiod metrics");
  });
});
