import { describe, expect, it } from "vitest";
import type { KubeObject } from "./object";
import { labelSelectorMatches, parseFieldSelector, parseLabelSelector } from "./selectors";
import { ApiError } from "./status";

function pod(name: string, namespace: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels, uid: name, resourceVersion: "1", creationTimestamp: "" } };
}

const pods = [
  pod("reviews-v1", "bookinfo", { app: "reviews", version: "v1" }),
  pod("reviews-v2", "bookinfo", { app: "reviews", version: "v2", canary: "true" }),
  pod("ratings-v1", "bookinfo", { app: "ratings", version: "v1" }),
  pod("web-v1", "mesh-lab", { app: "web" }),
];

function select(labelSelector: string | null, fieldSelector: string | null = null): string[] {
  const labels = parseLabelSelector(labelSelector);
  const fields = parseFieldSelector(fieldSelector);
  return pods.filter((p) => (labels?.(p) ?? true) && (fields?.(p) ?? true)).map((p) => p.metadata.name);
}

describe("label selectors", () => {
  it.each([
    ["app=reviews", ["reviews-v1", "reviews-v2"]],
    ["app==reviews,version!=v1", ["reviews-v2"]],
    ["version in (v1, v2),app notin (ratings)", ["reviews-v1", "reviews-v2"]],
    ["version notin (v1)", ["reviews-v2", "web-v1"]],
    ["canary", ["reviews-v2"]],
    ["!version", ["web-v1"]],
    ["app in (reviews),!canary", ["reviews-v1"]],
    ["", ["reviews-v1", "reviews-v2", "ratings-v1", "web-v1"]],
  ])("%s selects %j", (selector, expected) => {
    expect(select(selector)).toEqual(expected);
  });

  it("rejects a malformed selector with a 400 naming the term", () => {
    expect(() => parseLabelSelector("app in reviews")).toThrowError(ApiError);
    try {
      parseLabelSelector("app=reviews,=oops");
    } catch (error) {
      expect((error as ApiError).code).toBe(400);
      expect((error as ApiError).message).toContain('"=oops"');
    }
  });
});

describe("field selectors", () => {
  it("filters on metadata.name and metadata.namespace", () => {
    expect(select(null, "metadata.namespace=mesh-lab")).toEqual(["web-v1"]);
    expect(select(null, "metadata.name=ratings-v1")).toEqual(["ratings-v1"]);
    expect(select("app=reviews", "metadata.name!=reviews-v1")).toEqual(["reviews-v2"]);
  });

  it("refuses fields it does not index", () => {
    expect(() => parseFieldSelector("status.phase=Running")).toThrowError(/field label not supported: status.phase/);
  });
});

describe("workload selectors", () => {
  it("applies matchLabels and matchExpressions together", () => {
    const selector = { matchLabels: { app: "reviews" }, matchExpressions: [{ key: "version", operator: "In", values: ["v2", "v3"] }] };
    expect(labelSelectorMatches(selector, { app: "reviews", version: "v2" })).toBe(true);
    expect(labelSelectorMatches(selector, { app: "reviews", version: "v1" })).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: "canary", operator: "DoesNotExist" }] }, { app: "x" })).toBe(true);
  });
});
