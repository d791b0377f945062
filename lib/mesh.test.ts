import { describe, expect, it } from "vitest";
import { podsWithoutSidecar, workloadSummarySchema } from "./mesh";

describe("podsWithoutSidecar", () => {
  it("counts an application's pods that run no sidecar", () => {
    expect(podsWithoutSidecar({ meshRole: "application", podCount: 3, sidecarPods: 1 })).toBe(2);
    expect(podsWithoutSidecar({ meshRole: "application", podCount: 2, sidecarPods: 2 })).toBe(0);
  });

  it("never counts the mesh's own workloads, which need no sidecar", () => {
    expect(podsWithoutSidecar({ meshRole: "control-plane", podCount: 2, sidecarPods: 0 })).toBe(0);
    expect(podsWithoutSidecar({ meshRole: "gateway", podCount: 1, sidecarPods: 0 })).toBe(0);
  });
});

describe("workloadSummarySchema", () => {
  const workload = { name: "reviews-v1", namespace: "bookinfo", kind: "Deployment", app: "reviews", version: "v1", labels: {}, desiredReplicas: 1, readyReplicas: 1, podCount: 1, sidecarPods: 1, proxyVersions: [] };

  it("reads a workload without a role, from a console that predates roles, as an application", () => {
    expect(workloadSummarySchema.parse(workload).meshRole).toBe("application");
  });

  it("refuses a role the console does not know", () => {
    expect(workloadSummarySchema.safeParse({ ...workload, meshRole: "sidecar" }).success).toBe(false);
  });
});
