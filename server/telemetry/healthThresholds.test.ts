import { describe, expect, it } from "vitest";
import { formatHealthThresholds, parseHealthThresholds } from "@/lib/health";
import { DEFAULT_HEALTH_SETTINGS, healthAnnotationsOf, healthRulesFor } from "./healthThresholds";

const annotated = (namespace: string | undefined, name: string, text?: string) => ({ metadata: { name, namespace, annotations: text === undefined ? null : { "mesh-console.io/health-thresholds": text } } });

describe("health rules per object", () => {
  const settings = {
    global: parseHealthThresholds("failed=0.1%/20%;http:4xx=10%/50%").rules,
    annotations: {
      namespaces: healthAnnotationsOf([annotated(undefined, "bookinfo", "failed=1%/10%"), annotated(undefined, "quiet")], "name"),
      services: healthAnnotationsOf([annotated("bookinfo", "lookup", "http:404=ignore"), annotated("bookinfo", "broken", "4xx=10")], "namespace/name"),
      workloads: healthAnnotationsOf([annotated("bookinfo", "batch-v1", "http:4xx=-/-")], "namespace/name"),
    },
  };

  it("layers the setting, the namespace's annotation and the object's own", () => {
    expect(formatHealthThresholds(healthRulesFor(settings, "service", "bookinfo", "lookup").rules)).toBe("failed=1%/10%;http:4xx=10%/50%;http:404=ignore");
    expect(formatHealthThresholds(healthRulesFor(settings, "workload", "bookinfo", "batch-v1").rules)).toBe("failed=1%/10%;http:4xx=-/-");
    expect(formatHealthThresholds(healthRulesFor(settings, "app", "other", "x").rules)).toBe("failed=0.1%/20%;http:4xx=10%/50%");
  });

  it("ignores a wrong annotation with a note naming the object, never failing", () => {
    const judged = healthRulesFor(settings, "service", "bookinfo", "broken");
    expect(formatHealthThresholds(judged.rules)).toBe("failed=1%/10%;http:4xx=10%/50%");
    expect(judged.notes).toEqual([expect.stringMatching(/^The mesh-console.io\/health-thresholds annotation on Service bookinfo\/broken is ignored: expected degraded%\/failing%/)]);
  });

  it("judges by today's rule when given nothing", () => {
    expect(healthRulesFor(DEFAULT_HEALTH_SETTINGS, "workload", "a", "b")).toEqual({ rules: [{ protocol: "any", codes: ["failed"], degraded: 0.001, failing: 0.2, ignore: false }], notes: [] });
  });
});
