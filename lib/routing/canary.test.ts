import { describe, expect, it } from "vitest";
import { canaryVerdict, type VersionSignals } from "./canary";

const signals = (version: string, change: Partial<VersionSignals> = {}): VersionSignals => ({ version, requestRate: 10, errorRate: 0.002, p95Ms: 40, p99Ms: 60, share: 0.5, ...change });

describe("canary verdict", () => {
  it("calls a canary within the thresholds healthy", () => {
    expect(canaryVerdict(signals("v2", { errorRate: 0.01, p95Ms: 47 }), signals("v1"), "v2", "v1")).toMatchObject({ status: "healthy", message: "canary healthy" });
  });

  it("holds a canary whose error rate is more than one point above stable, saying both rates", () => {
    const verdict = canaryVerdict(signals("v2", { errorRate: 0.041 }), signals("v1"), "v2", "v1");
    expect(verdict.status).toBe("unhealthy");
    expect(verdict.message).toBe("canary error rate 4.1 % vs 0.2 % stable: hold or roll back");
  });

  it("holds a canary whose p95 is more than 20 % above stable", () => {
    const verdict = canaryVerdict(signals("v2", { p95Ms: 60 }), signals("v1", { p95Ms: 40 }), "v2", "v1");
    expect(verdict.message).toBe("canary p95 60 ms vs 40 ms stable: hold or roll back");
    expect(verdict.findings).toContainEqual({ signal: "p95", exceeded: true });
  });

  it("does not fail a fast service on a few milliseconds of jitter", () => {
    expect(canaryVerdict(signals("v2", { p95Ms: 4 }), signals("v1", { p95Ms: 2 }), "v2", "v1").status).toBe("healthy");
  });

  it("has nothing to judge before the canary gets traffic", () => {
    expect(canaryVerdict(signals("v2", { requestRate: 0 }), signals("v1"), "v2", "v1")).toMatchObject({ status: "no-data", message: "canary v2 receives no traffic yet: nothing to judge" });
    expect(canaryVerdict(undefined, signals("v1"), "v2", "v1").status).toBe("no-data");
  });
});
