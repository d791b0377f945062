import { describe, expect, it } from "vitest";
import { DEFAULT_HEALTH_THRESHOLDS, HEALTH_ANNOTATION } from "./health";
import { explainHealth, rulesFromResponse } from "./healthExplanation";

describe("rulesFromResponse", () => {
  it("reads the rules a response sent", () => {
    expect(rulesFromResponse("failed=1%/10%;http:4xx=10%/-")).toEqual([
      { protocol: "any", codes: ["failed"], degraded: 0.01, failing: 0.1, ignore: false },
      { protocol: "http", codes: ["4xx"], degraded: 0.1, failing: null, ignore: false },
    ]);
  });

  it("falls back to the defaults without rules or with rules it cannot read", () => {
    expect(rulesFromResponse(undefined)).toBe(DEFAULT_HEALTH_THRESHOLDS);
    expect(rulesFromResponse("failed=lots")).toBe(DEFAULT_HEALTH_THRESHOLDS);
  });
});

describe("explainHealth", () => {
  it("says the rules in words, and which objects may override them with the annotation", () => {
    const graph = explainHealth(DEFAULT_HEALTH_THRESHOLDS, "graph");
    expect(graph.rules).toEqual(["failed requests (5xx, no response, an Envoy response flag, a failed gRPC call): degraded at 0.1 %, failing at 20 %"]);
    expect(graph.basis).toMatch(/node's received requests/);
    expect(`${graph.override.before} ${graph.override.annotation} ${graph.override.after}`).toBe(`A namespace, Service or Deployment may override these with the ${HEALTH_ANNOTATION} annotation.`);
  });

  it("tells a list what its rows are judged by, and that only an app's namespace overrides its rules", () => {
    expect(explainHealth(DEFAULT_HEALTH_THRESHOLDS, "service").basis).toMatch(/^Judged from the share of the requests each Service received in the window; .* No traffic\. The worst rule wins:$/);
    expect(explainHealth(DEFAULT_HEALTH_THRESHOLDS, "workload").override.before).toMatch(/^A Deployment, or its namespace/);
    expect(explainHealth(DEFAULT_HEALTH_THRESHOLDS, "app").override).toMatchObject({ before: "An app's namespace may override these with the", annotation: HEALTH_ANNOTATION });
  });
});
