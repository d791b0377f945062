import { describe, expect, it } from "vitest";
import { ambientHealthProblems, dataPlaneOf, podsWithoutSidecar, workloadSummarySchema, workloadWaypoint } from "./mesh";

describe("podsWithoutSidecar", () => {
  it("counts an application's pods that run no sidecar", () => {
    expect(podsWithoutSidecar({ meshRole: "application", podCount: 3, sidecarPods: 1 })).toBe(2);
    expect(podsWithoutSidecar({ meshRole: "application", podCount: 2, sidecarPods: 2 })).toBe(0);
  });

  it("never counts the mesh's own workloads, which need no sidecar", () => {
    expect(podsWithoutSidecar({ meshRole: "control-plane", podCount: 2, sidecarPods: 0 })).toBe(0);
    expect(podsWithoutSidecar({ meshRole: "gateway", podCount: 1, sidecarPods: 0 })).toBe(0);
  });

  it("never counts ambient workloads, whose data plane is ztunnel", () => {
    expect(podsWithoutSidecar({ meshRole: "application", podCount: 2, sidecarPods: 0, dataPlane: "ambient" })).toBe(0);
    expect(podsWithoutSidecar({ meshRole: "application", podCount: 2, sidecarPods: 0, dataPlane: "ambient-waypoint" })).toBe(0);
    expect(podsWithoutSidecar({ meshRole: "application", podCount: 2, sidecarPods: 0, dataPlane: "none" })).toBe(2);
  });
});

describe("a workload's data plane", () => {
  const ambientNamespace = { "istio.io/dataplane-mode": "ambient" };
  const cart = { app: "cart", version: "v1" };

  it("is the sidecar when its pods run one, even in an ambient namespace", () => {
    expect(dataPlaneOf({ sidecarPods: 1, namespaceLabels: ambientNamespace, podLabels: cart, waypoint: null })).toBe("sidecar");
  });

  it("is ambient in an ambient namespace, unless the pod opts out, and names its waypoint", () => {
    expect(dataPlaneOf({ sidecarPods: 0, namespaceLabels: ambientNamespace, podLabels: cart, waypoint: null })).toBe("ambient");
    expect(dataPlaneOf({ sidecarPods: 0, namespaceLabels: ambientNamespace, podLabels: cart, waypoint: { namespace: "ambient-shop", name: "waypoint" } })).toBe("ambient-waypoint");
    expect(dataPlaneOf({ sidecarPods: 0, namespaceLabels: ambientNamespace, podLabels: { ...cart, "istio.io/dataplane-mode": "none" }, waypoint: null })).toBe("none");
    expect(dataPlaneOf({ sidecarPods: 0, namespaceLabels: {}, podLabels: cart, waypoint: null })).toBe("none");
  });

  it("goes through the waypoint its pods, or a Service selecting them, is enrolled to", () => {
    const services: { labels: Record<string, string>; selector: Record<string, string> }[] = [
      { labels: {}, selector: { app: "ledger" } },
      { labels: { "istio.io/use-waypoint": "waypoint" }, selector: { app: "cart" } },
    ];
    expect(workloadWaypoint("ambient-shop", cart, ambientNamespace, services)).toEqual({ namespace: "ambient-shop", name: "waypoint" });
    expect(workloadWaypoint("ambient-shop", { app: "ledger" }, ambientNamespace, services)).toBeNull();
    expect(workloadWaypoint("ambient-shop", { app: "ledger", "istio.io/use-waypoint": "wp", "istio.io/use-waypoint-namespace": "shared" }, ambientNamespace, services)).toEqual({ namespace: "shared", name: "wp" });
    // A Service selecting nothing selects no workload.
    expect(workloadWaypoint("ambient-shop", cart, ambientNamespace, [{ labels: { "istio.io/use-waypoint": "waypoint" }, selector: {} }])).toBeNull();
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

describe("the ambient data plane's health", () => {
  const waypoint = { namespace: "ambient-shop", name: "waypoint", programmed: true, readyReplicas: 1, desiredReplicas: 1 };

  it("is quiet when every ztunnel pod and waypoint is ready", () => {
    expect(ambientHealthProblems({ ztunnel: { pods: 2, ready: 2 }, waypoints: [waypoint] })).toEqual([]);
  });

  it("names ztunnel pods not ready, and waypoints not programmed or without ready replicas", () => {
    expect(
      ambientHealthProblems({
        ztunnel: { pods: 2, ready: 1 },
        waypoints: [
          { ...waypoint, programmed: false },
          { ...waypoint, name: "cold", readyReplicas: 0 },
        ],
      }),
    ).toEqual([
      "1 of 2 ztunnel pods not ready: ambient pods on their nodes lose their traffic",
      "Waypoint ambient-shop/waypoint is not programmed by istiod",
      "Waypoint ambient-shop/cold has 0 of 1 replicas ready: L7 traffic of the services enrolled to it fails",
    ]);
  });
});
