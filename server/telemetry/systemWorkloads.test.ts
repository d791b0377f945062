import { describe, expect, it } from "vitest";
import { isGatewayWorkloadName, meshRoleOf } from "./systemWorkloads";

describe("the mesh's own workloads", () => {
  it.each([
    ["istiod", { app: "istiod", "istio.io/rev": "default" }, "control-plane"],
    ["istiod-canary", { app: "istiod", "istio.io/rev": "canary" }, "control-plane"],
    ["ztunnel", { app: "ztunnel" }, "control-plane"],
    ["istio-cni-node", { "k8s-app": "istio-cni-node" }, "control-plane"],
    ["istio-ingressgateway", { app: "istio-ingressgateway", istio: "ingressgateway" }, "gateway"],
    ["bookinfo-gateway-istio", { "gateway.networking.k8s.io/gateway-name": "bookinfo-gateway" }, "gateway"],
    ["waypoint", { "gateway.istio.io/managed": "istio.io-mesh-controller" }, "waypoint"],
    ["shop-waypoint", { "gateway.networking.k8s.io/gateway-class-name": "istio-waypoint", "gateway.networking.k8s.io/gateway-name": "shop-waypoint" }, "waypoint"],
    ["reviews-v1", { app: "reviews", version: "v1" }, "application"],
  ] as const)("%s is %s", (name, labels, role) => {
    expect(meshRoleOf(name, labels)).toBe(role);
  });

  it("knows a waypoint by the class of the Gateway it was deployed for when its labels do not say", () => {
    const labels = { "gateway.networking.k8s.io/gateway-name": "waypoint", "istio.io/gateway-name": "waypoint" };
    expect(meshRoleOf("waypoint", labels, (gateway) => gateway === "waypoint")).toBe("waypoint");
    expect(meshRoleOf("waypoint", labels, () => false)).toBe("gateway");
  });

  it("names gateways from a series' workload name alone", () => {
    expect(isGatewayWorkloadName("istio-eastwestgateway")).toBe(true);
    expect(isGatewayWorkloadName("gatewayish-app")).toBe(false);
  });
});
