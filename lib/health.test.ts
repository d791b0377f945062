import { describe, expect, it } from "vitest";
import { DEFAULT_HEALTH_THRESHOLDS, ERROR_RATE_THRESHOLDS, explainHealthThresholds, formatHealthThresholds, healthFromErrorRate, healthFromResponses, mergeHealthThresholds, parseHealthThresholds, type ResponseRate } from "./health";

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

describe("health rules", () => {
  const response = (code: string, rate: number, extra: Partial<ResponseRate> = {}): ResponseRate => ({ protocol: "http", code, grpcStatus: "", failed: code.startsWith("5") || code === "0", rate, ...extra });

  it("parses rules per status-code class and protocol, and round-trips them", () => {
    const { rules, problems } = parseHealthThresholds("failed=0.1%/20%; http:4xx=10%/-; http:404=ignore; grpc:14=1/5");
    expect(problems).toEqual([]);
    expect(rules).toEqual([
      { protocol: "any", codes: ["failed"], degraded: 0.001, failing: 0.2, ignore: false },
      { protocol: "http", codes: ["4xx"], degraded: 0.1, failing: null, ignore: false },
      { protocol: "http", codes: ["404"], degraded: null, failing: null, ignore: true },
      { protocol: "grpc", codes: ["14"], degraded: 0.01, failing: 0.05, ignore: false },
    ]);
    expect(formatHealthThresholds(rules)).toBe("failed=0.1%/20%;http:4xx=10%/-;http:404=ignore;grpc:14=1%/5%");
    expect(formatHealthThresholds(DEFAULT_HEALTH_THRESHOLDS)).toBe("failed=0.1%/20%");
  });

  it("names every wrong rule and uses none of a wrong value", () => {
    const { rules, problems } = parseHealthThresholds("5xx=20%/10%;grpc:4xx=1%/2%;teapot=1%/2%;4xx=10%");
    expect(rules).toEqual([]);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/degraded \(20%\) must not be above failing/);
    expect(problems[1]).toMatch(/unknown codes "4xx"/);
    expect(problems[3]).toMatch(/expected degraded%\/failing%/);
  });

  it("replaces an inherited rule with the same protocol and codes, and keeps the others", () => {
    const merged = mergeHealthThresholds(parseHealthThresholds("failed=0.1%/20%;http:4xx=10%/20%").rules, parseHealthThresholds("http:4xx=50%/-").rules);
    expect(formatHealthThresholds(merged)).toBe("failed=0.1%/20%;http:4xx=50%/-");
  });

  it("judges by the worst rule; ignored codes are errors for none", () => {
    const rules = parseHealthThresholds("failed=0.1%/20%;http:4xx=10%/50%").rules;
    const traffic = [response("200", 85), response("404", 15)];
    expect(healthFromResponses(traffic, 0, rules).health).toBe("degraded");
    expect(healthFromResponses(traffic, 0, mergeHealthThresholds(rules, parseHealthThresholds("http:404=ignore").rules)).health).toBe("healthy");
    expect(healthFromResponses(traffic).health).toBe("healthy");
  });

  it("shares a protocol's rule over that protocol's requests only", () => {
    const rules = parseHealthThresholds("failed=-/-;grpc:14=10%/20%").rules;
    const traffic = [response("200", 90), response("200", 8, { protocol: "grpc", grpcStatus: "0" }), response("200", 2, { protocol: "grpc", grpcStatus: "14", failed: true })];
    expect(healthFromResponses(traffic, 0, rules).health).toBe("failing");
  });

  it("explains the rules in words", () => {
    expect(explainHealthThresholds(DEFAULT_HEALTH_THRESHOLDS)).toEqual(["failed requests (5xx, no response, an Envoy response flag, a failed gRPC call): degraded at 0.1 %, failing at 20 %"]);
    expect(explainHealthThresholds(parseHealthThresholds("http:4xx=10%/-;http:404=ignore").rules)).toEqual(["4xx of HTTP requests: degraded at 10 %", "404 of HTTP requests: never counted as errors"]);
  });

  it("calls TCP-only traffic healthy, and nothing at all no-traffic", () => {
    expect(healthFromResponses([], 1200).health).toBe("healthy");
    expect(healthFromResponses([], 0).health).toBe("no-traffic");
  });
});
