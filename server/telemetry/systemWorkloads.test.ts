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
    ["waypoint", { "gateway.istio.io/managed": "istio.io-mesh-controller" }, "gateway"],
    ["reviews-v1", { app: "reviews", version: "v1" }, "application"],
  ] as const)("%s is %s", (name, labels, role) => {
    expect(meshRoleOf(name, labels)).toBe(role);
  });

  it("names gateways from a series' workload name alone", () => {
    expect(isGatewayWorkloadName("istio-eastwestgateway")).toBe(true);
    expect(isGatewayWorkloadName("gatewayish-app")).toBe(false);
  });
});
