import { describe, expect, it } from "vitest";
import { ERROR_CODE_ANNOTATION, ERROR_RATE_ANNOTATION, injectedErrorsOf, withInjectedErrors } from "./injected-errors";

const behaviour = { errorRate: 0.01, errorCode: 503, latency: { medianMs: 5, p99Ms: 20 } };

describe("errors injected by pod template annotation", () => {
  it.each([
    [{ [ERROR_RATE_ANNOTATION]: "0.3" }, { rate: 0.3, code: 500 }],
    [{ [ERROR_RATE_ANNOTATION]: "1", [ERROR_CODE_ANNOTATION]: "503" }, { rate: 1, code: 503 }],
    [{ [ERROR_RATE_ANNOTATION]: ".5", [ERROR_CODE_ANNOTATION]: "abc" }, { rate: 0.5, code: 500 }],
    [{ [ERROR_RATE_ANNOTATION]: "0" }, undefined],
    [{ [ERROR_RATE_ANNOTATION]: "1.5" }, undefined],
    [{ [ERROR_RATE_ANNOTATION]: "30%" }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])("%j → %j", (annotations, expected) => {
    expect(injectedErrorsOf(annotations)).toEqual(expected);
  });

  it("adds the injected share to the app's own failures, independently", () => {
    const changed = withInjectedErrors(behaviour, { podAnnotations: { [ERROR_RATE_ANNOTATION]: "0.5" } });
    expect(changed.errorRate).toBeCloseTo(1 - 0.99 * 0.5, 10);
    expect(changed.errorCode).toBe(500);
    expect(changed.latency).toBe(behaviour.latency);
  });

  it("leaves a workload without the annotation as it is", () => {
    expect(withInjectedErrors(behaviour, { podAnnotations: { other: "x" } })).toBe(behaviour);
    expect(withInjectedErrors(behaviour, {})).toBe(behaviour);
  });
});
