import { describe, expect, it } from "vitest";
import { ambientRequested, sidecarInjectionRequested, waypointEnrolment, waypointServes, waypointTrafficType } from "./ambient";

describe("ambient enrolment labels", () => {
  it("lets a pod's dataplane-mode override its namespace's", () => {
    expect(ambientRequested({ "istio.io/dataplane-mode": "ambient" }, {})).toEqual({ requested: true, source: "namespace" });
    expect(ambientRequested({ "istio.io/dataplane-mode": "ambient" }, { "istio.io/dataplane-mode": "none" })).toEqual({ requested: false, source: "object" });
    expect(ambientRequested({}, { "istio.io/dataplane-mode": "ambient" })).toEqual({ requested: true, source: "object" });
    expect(ambientRequested({}, {}).requested).toBe(false);
  });

  it("follows the injector: the pod's inject label, then the namespace, and a disabled namespace wins", () => {
    expect(sidecarInjectionRequested({ "istio-injection": "enabled" }, {}, {})).toEqual({ requested: true, source: "namespace" });
    expect(sidecarInjectionRequested({ "istio.io/rev": "canary" }, {}, {}).requested).toBe(true);
    expect(sidecarInjectionRequested({ "istio-injection": "enabled" }, { "sidecar.istio.io/inject": "false" }, {}).requested).toBe(false);
    expect(sidecarInjectionRequested({}, {}, { "sidecar.istio.io/inject": "true" })).toEqual({ requested: true, source: "object", field: "annotations" });
    expect(sidecarInjectionRequested({ "istio-injection": "disabled" }, { "sidecar.istio.io/inject": "true" }, {}).requested).toBe(false);
  });
});

describe("waypoint enrolment", () => {
  it("takes the object's own label before its namespace's, and none opts out", () => {
    expect(waypointEnrolment({ "istio.io/use-waypoint": "mine" }, { "istio.io/use-waypoint": "ns-wide" }, "shop")).toEqual({ name: "mine", namespace: "shop", namespaceExplicit: false, source: "object" });
    expect(waypointEnrolment({}, { "istio.io/use-waypoint": "ns-wide", "istio.io/use-waypoint-namespace": "infra" }, "shop")).toEqual({ name: "ns-wide", namespace: "infra", namespaceExplicit: true, source: "namespace" });
    expect(waypointEnrolment({ "istio.io/use-waypoint": "none" }, { "istio.io/use-waypoint": "ns-wide" }, "shop")).toBeUndefined();
  });

  it("reads waypoint-for with service as the default and knows which traffic each value takes", () => {
    expect(waypointTrafficType({})).toBe("service");
    expect(waypointTrafficType({ "istio.io/waypoint-for": "services" })).toBeUndefined();
    expect(waypointServes("all", "workload")).toBe(true);
    expect(waypointServes("service", "workload")).toBe(false);
    expect(waypointServes("none", "service")).toBe(false);
  });
});
