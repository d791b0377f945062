import { describe, expect, it } from "vitest";
import { enrolledLabels, serviceAmbient } from "./ambient";

const waypoint = { namespace: "ambient-shop", name: "waypoint", labels: { "istio.io/waypoint-for": "service" } };
const base = { namespace: "ambient-shop", service: "ledger", namespaceLabels: { "istio.io/dataplane-mode": "ambient" }, serviceLabels: { app: "ledger" }, workloadLabels: [{ app: "ledger" }], sidecarPods: 0, waypoints: [waypoint] };

describe("a service's data plane for the wizards", () => {
  it("explains that L7 routing cannot apply to an ambient service without a waypoint, and offers the namespace's", () => {
    const ambient = serviceAmbient(base);
    expect(ambient.dataPlane).toBe("ambient");
    expect(ambient.l7Blocked).toMatch(/ledger runs in ambient mode without a waypoint: ztunnel carries its traffic at L4 only/);
    expect(ambient.l7Blocked).toMatch(/Enrol it in a waypoint/);
    expect(ambient.candidates).toEqual([{ namespace: "ambient-shop", name: "waypoint" }]);
  });

  it("finds the waypoint a Service is enrolled to, by its own label or its namespace's", () => {
    expect(serviceAmbient({ ...base, serviceLabels: { "istio.io/use-waypoint": "waypoint" } })).toMatchObject({ dataPlane: "ambient-waypoint", waypoint: { namespace: "ambient-shop", name: "waypoint" }, l7Blocked: null });
    expect(serviceAmbient({ ...base, namespaceLabels: { ...base.namespaceLabels, "istio.io/use-waypoint": "waypoint" } }).dataPlane).toBe("ambient-waypoint");
    // `none` on the Service opts out of the namespace's waypoint, and says so.
    const optedOut = serviceAmbient({ ...base, serviceLabels: { "istio.io/use-waypoint": "none" }, namespaceLabels: { ...base.namespaceLabels, "istio.io/use-waypoint": "waypoint" } });
    expect(optedOut.dataPlane).toBe("ambient");
    expect(optedOut.l7Blocked).toMatch(/label is "none"/);
  });

  it("offers no waypoint that takes only workload traffic, and says to deploy one", () => {
    const ambient = serviceAmbient({ ...base, waypoints: [{ ...waypoint, labels: { "istio.io/waypoint-for": "workload" } }] });
    expect(ambient.candidates).toEqual([]);
    expect(ambient.l7Blocked).toMatch(/Deploy a waypoint in ambient-shop/);
  });

  it("leaves sidecar services and services outside the mesh alone", () => {
    expect(serviceAmbient({ ...base, sidecarPods: 1 })).toMatchObject({ dataPlane: "sidecar", l7Blocked: null });
    expect(serviceAmbient({ ...base, namespaceLabels: {} })).toMatchObject({ dataPlane: "none", l7Blocked: null });
    // A pod opted out of ambient is not captured even in an ambient namespace.
    expect(serviceAmbient({ ...base, workloadLabels: [{ "istio.io/dataplane-mode": "none" }] }).dataPlane).toBe("none");
  });
});

describe("enrolling a Service in a waypoint", () => {
  it("sets istio.io/use-waypoint, and the waypoint's namespace only when it is another", () => {
    expect(enrolledLabels("ambient-shop", { app: "ledger" }, { namespace: "ambient-shop", name: "waypoint" })).toEqual({ app: "ledger", "istio.io/use-waypoint": "waypoint" });
    expect(enrolledLabels("ambient-shop", { app: "ledger", "istio.io/use-waypoint-namespace": "old" }, { namespace: "ambient-shop", name: "waypoint" })).toEqual({ app: "ledger", "istio.io/use-waypoint": "waypoint" });
    expect(enrolledLabels("shop", { app: "ledger" }, { namespace: "mesh-waypoints", name: "shared" })).toEqual({ app: "ledger", "istio.io/use-waypoint": "shared", "istio.io/use-waypoint-namespace": "mesh-waypoints" });
  });
});
