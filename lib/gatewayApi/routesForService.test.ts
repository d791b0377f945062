import { describe, expect, it } from "vitest";
import { routesForServices, versionServicesOf, type ServiceRef } from "./routesForService";

const svc = (name: string, selector: Record<string, string>, namespace = "storefront"): ServiceRef => ({ namespace, name, selector });
const services = [
  svc("catalog", { app: "catalog" }),
  svc("catalog-v1", { app: "catalog", version: "v1" }),
  svc("catalog-v2", { app: "catalog", version: "v2" }),
  svc("web", { app: "web" }),
  svc("inventory", { app: "inventory" }),
];
const condition = (type: string, status = "True", reason = type) => ({ type, status, reason, message: "" });

const catalogRoute = {
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { namespace: "storefront", name: "catalog" },
  spec: {
    parentRefs: [{ group: "", kind: "Service", name: "catalog", port: 8080 }],
    rules: [{ backendRefs: [{ name: "catalog-v1", port: 8080, weight: 80 }, { name: "catalog-v2", port: 8080, weight: 20 }] }],
  },
  status: { parents: [{ parentRef: { group: "", kind: "Service", name: "catalog", port: 8080 }, controllerName: "istio.io/gateway-controller", conditions: [condition("Accepted"), condition("ResolvedRefs")] }] },
};
const ingressRoute = {
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { namespace: "storefront", name: "storefront" },
  spec: { parentRefs: [{ name: "storefront-gateway" }], hostnames: ["shop.example.com"], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] },
  status: { parents: [{ parentRef: { name: "storefront-gateway" }, conditions: [condition("Accepted", "False", "NotAllowedByListeners"), condition("ResolvedRefs")] }] },
};
const gateway = {
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { namespace: "storefront", name: "storefront-gateway" },
  spec: { gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] },
  status: { conditions: [condition("Accepted"), condition("Programmed")] },
};
const istioGateway = { apiVersion: "networking.istio.io/v1", kind: "Gateway", metadata: { namespace: "storefront", name: "storefront-gateway" }, spec: {} };
const objects = [catalogRoute, ingressRoute, gateway, istioGateway];

describe("versionServicesOf", () => {
  it("finds the Services that select one version of the parent's pods", () => {
    expect(versionServicesOf(services[0]!, services).map((service) => service.name)).toEqual(["catalog-v1", "catalog-v2"]);
    expect(versionServicesOf(services[1]!, services)).toEqual([]);
    // A Service without a selector selects nothing by labels: it has no version Services.
    expect(versionServicesOf(svc("external", {}), services)).toEqual([]);
  });
});

describe("routesForServices", () => {
  it("on the parent Service's page, shows the GAMMA route with its configured weights and status", () => {
    const applied = routesForServices([services[0]!], services, objects);
    expect(applied).toHaveLength(1);
    const route = applied[0]!;
    expect([route.kind, route.namespace, route.name]).toEqual(["HTTPRoute", "storefront", "catalog"]);
    expect(route.reasons).toEqual([
      "routes mesh traffic for Service catalog port 8080 (GAMMA)",
      "sends traffic to version Service catalog-v1 of catalog",
      "sends traffic to version Service catalog-v2 of catalog",
    ]);
    expect(route.weights.map((weight) => [weight.service, weight.weight, weight.percent])).toEqual([
      ["catalog-v1", 80, 80],
      ["catalog-v2", 20, 20],
    ]);
    expect(route.reported.summary).toBe("Accepted, ResolvedRefs");
  });

  it("on a version workload's page (its Services catalog and catalog-v2), shows the route that sends to it", () => {
    const applied = routesForServices([services[0]!, services[2]!], services, objects);
    expect(applied.map((route) => route.name)).toEqual(["catalog"]);
    expect(applied[0]!.reasons).toContain("sends traffic to Service catalog-v2");
  });

  it("shows an ingress route and its Gateway (not Istio's Gateway of the same name), with a failing condition", () => {
    const applied = routesForServices([services[3]!], services, objects);
    expect(applied.map((route) => `${route.kind} ${route.name}`)).toEqual(["HTTPRoute storefront", "K8sGateway storefront-gateway"]);
    expect(applied[0]!.reported.state).toBe("problem");
    expect(applied[0]!.reported.failing.map((failing) => failing.reason)).toEqual(["NotAllowedByListeners"]);
    expect(applied[1]!.reasons).toEqual(["receives traffic for it through HTTPRoute storefront"]);
  });

  it("ignores routes for other services and backends in other namespaces of the same name", () => {
    const elsewhere = { ...catalogRoute, metadata: { namespace: "other", name: "catalog" }, spec: { parentRefs: [{ group: "", kind: "Service", name: "catalog" }], rules: [{ backendRefs: [{ name: "catalog-v1" }] }] } };
    expect(routesForServices([services[4]!], services, objects)).toEqual([]);
    expect(routesForServices([services[0]!], services, [elsewhere])).toEqual([]);
  });
});
