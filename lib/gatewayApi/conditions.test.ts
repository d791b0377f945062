import { describe, expect, it } from "vitest";
import { gatewayClassStatus, gatewayStatus, routeStatus, statusEqual, type GatewayStatusWorld, type RouteWithStatus } from "./conditions";
import type { IGateway } from "./types";

const T1 = "2026-01-01T00:00:00Z";
const T2 = "2026-01-01T00:05:00Z";

const storefrontGateway: IGateway = {
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { name: "storefront-gateway", namespace: "storefront", generation: 1 },
  spec: { gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP", hostname: "shop.example.com" }] },
};

function world(overrides: Partial<GatewayStatusWorld> = {}): GatewayStatusWorld {
  return {
    gateways: [storefrontGateway],
    gatewayClasses: [],
    services: [
      { metadata: { name: "web", namespace: "storefront" }, spec: { ports: [{ port: 8080 }] } },
      { metadata: { name: "storefront-gateway-istio", namespace: "storefront" }, spec: { ports: [{ port: 80 }] } },
    ],
    namespaces: [],
    referenceGrants: [],
    routes: [],
    ...overrides,
  };
}

function httpRoute(spec: RouteWithStatus["spec"], status?: RouteWithStatus["status"]): RouteWithStatus {
  return { kind: "HTTPRoute", metadata: { name: "storefront", namespace: "storefront", generation: 3 }, spec, ...(status ? { status } : {}) };
}

describe("routeStatus", () => {
  it("accepts a valid route and resolves its backends", () => {
    const status = routeStatus(httpRoute({ parentRefs: [{ name: "storefront-gateway" }], hostnames: ["shop.example.com"], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] }), world(), T1);
    expect(status.parents).toEqual([
      {
        parentRef: { name: "storefront-gateway" },
        controllerName: "istio.io/gateway-controller",
        conditions: [
          { type: "Accepted", status: "True", reason: "Accepted", message: "Route was valid", observedGeneration: 3, lastTransitionTime: T1 },
          { type: "ResolvedRefs", status: "True", reason: "ResolvedRefs", message: "All references resolved", observedGeneration: 3, lastTransitionTime: T1 },
        ],
      },
    ]);
  });

  it.each([
    ["a missing backend", { rules: [{ backendRefs: [{ name: "gone", port: 80 }] }] }, "Accepted", "True", "BackendNotFound", "backend(gone.storefront.svc.cluster.local) not found"],
    ["a hostname the listener does not serve", { hostnames: ["www.example.org"], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] }, "NoMatchingListenerHostname", "False", "ResolvedRefs", "All references resolved"],
    ["a cross-namespace backend without a grant", { rules: [{ backendRefs: [{ name: "ledger", namespace: "payments", port: 9000 }] }] }, "Accepted", "True", "RefNotPermitted", 'backendRef ledger/payments not accessible to a HTTPRoute in namespace "storefront" (missing a ReferenceGrant?)'],
  ] as const)("reports %s", (_name, spec, acceptedReason, acceptedStatus, resolvedReason, resolvedMessage) => {
    const status = routeStatus(httpRoute({ parentRefs: [{ name: "storefront-gateway" }], ...spec }), world(), T1);
    const conditions = status.parents[0]?.conditions ?? [];
    expect(conditions.find((c) => c.type === "Accepted")).toMatchObject({ status: acceptedStatus, reason: acceptedReason });
    expect(conditions.find((c) => c.type === "ResolvedRefs")).toMatchObject({ reason: resolvedReason, message: resolvedMessage, status: resolvedReason === "ResolvedRefs" ? "True" : "False" });
  });

  it("writes no entry for a Gateway that does not exist, and keeps other controllers' entries", () => {
    const foreign = { parentRef: { name: "elsewhere" }, controllerName: "example.com/controller", conditions: [] };
    const status = routeStatus(httpRoute({ parentRefs: [{ name: "nope" }] }, { parents: [foreign] }), world(), T1);
    expect(status.parents).toEqual([foreign]);
  });

  it("is equal when computed again later with nothing changed, so a writer can skip the write", () => {
    const route = httpRoute({ parentRefs: [{ name: "storefront-gateway" }], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] });
    const first = routeStatus(route, world(), T1);
    const again = routeStatus({ ...route, status: first }, world(), T2);
    expect(statusEqual(first, again)).toBe(true);
  });

  it("moves the transition time only for the condition that changed", () => {
    const route = httpRoute({ parentRefs: [{ name: "storefront-gateway" }], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] });
    const first = routeStatus(route, world(), T1);
    const broken = routeStatus({ ...route, status: first }, world({ services: [] }), T2);
    expect(statusEqual(first, broken)).toBe(false);
    const conditions = broken.parents[0]?.conditions ?? [];
    expect(conditions.find((c) => c.type === "Accepted")?.lastTransitionTime).toBe(T1);
    expect(conditions.find((c) => c.type === "ResolvedRefs")).toMatchObject({ status: "False", lastTransitionTime: T2 });
  });
});

describe("gatewayStatus", () => {
  it("accepts and programs an istio Gateway whose Service is deployed, and counts attached routes", () => {
    const routes = [
      httpRoute({ parentRefs: [{ name: "storefront-gateway" }], hostnames: ["shop.example.com"] }),
      { ...httpRoute({ parentRefs: [{ name: "storefront-gateway" }], hostnames: ["www.example.org"] }), metadata: { name: "elsewhere", namespace: "storefront" } },
    ];
    const status = gatewayStatus(storefrontGateway, world({ routes }), T1);
    expect(status?.addresses).toEqual([{ type: "Hostname", value: "storefront-gateway-istio.storefront.svc.cluster.local" }]);
    expect(status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ["Accepted", "True", "Accepted"],
      ["Programmed", "True", "Programmed"],
    ]);
    expect(status?.conditions?.[1]?.message).toBe("Resource programmed, assigned to service(s) storefront-gateway-istio.storefront.svc.cluster.local:80");
    expect(status?.listeners?.[0]).toMatchObject({ name: "http", attachedRoutes: 1, supportedKinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }, { group: "gateway.networking.k8s.io", kind: "GRPCRoute" }] });
  });

  it("is not programmed before its Service exists", () => {
    const status = gatewayStatus(storefrontGateway, world({ services: [] }), T1);
    expect(status?.addresses).toBeUndefined();
    expect(status?.conditions?.find((c) => c.type === "Programmed")).toMatchObject({ status: "False", reason: "AddressNotAssigned" });
  });

  it("flags a listener protocol istiod does not serve and route kinds it cannot carry", () => {
    const gateway: IGateway = {
      ...storefrontGateway,
      spec: {
        gatewayClassName: "istio",
        listeners: [
          { name: "udp", port: 53, protocol: "UDP" },
          { name: "http", port: 80, protocol: "HTTP", allowedRoutes: { kinds: [{ kind: "TCPRoute" }] } },
        ],
      },
    };
    const listeners = gatewayStatus(gateway, world(), T1)?.listeners ?? [];
    expect(listeners[0]?.conditions.find((c) => c.type === "Accepted")).toMatchObject({ status: "False", reason: "UnsupportedProtocol" });
    expect(listeners[1]?.conditions.find((c) => c.type === "ResolvedRefs")).toMatchObject({ status: "False", reason: "InvalidRouteKinds" });
    expect(listeners[1]?.supportedKinds).toEqual([]);
  });

  it("leaves Gateways of other controllers alone", () => {
    const other = { ...storefrontGateway, spec: { ...storefrontGateway.spec, gatewayClassName: "nginx" } };
    expect(gatewayStatus(other, world(), T1)).toBeUndefined();
  });

  it("writes a waypoint's status, its class being of istiod's mesh controller, and its routes' under the gateway controller", () => {
    const waypoint: IGateway = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: "waypoint", namespace: "storefront", generation: 1 },
      spec: { gatewayClassName: "istio-waypoint", listeners: [{ name: "mesh", port: 15008, protocol: "HBONE" }] },
    };
    const gatewayClasses = [{ apiVersion: "gateway.networking.k8s.io/v1" as const, kind: "GatewayClass" as const, metadata: { name: "istio-waypoint" }, spec: { controllerName: "istio.io/mesh-controller" } }];
    const status = gatewayStatus(waypoint, world({ gateways: [waypoint], gatewayClasses }), T1);
    expect(status?.conditions?.find((c) => c.type === "Accepted")).toMatchObject({ status: "True" });
    // HBONE is served on waypoints only.
    expect(status?.listeners?.[0]?.conditions.find((c) => c.type === "Accepted")).toMatchObject({ status: "True" });
    const hboneIngress = gatewayStatus({ ...storefrontGateway, spec: { ...storefrontGateway.spec, listeners: waypoint.spec.listeners } }, world(), T1);
    expect(hboneIngress?.listeners?.[0]?.conditions.find((c) => c.type === "Accepted")).toMatchObject({ status: "False", reason: "UnsupportedProtocol", message: 'protocol "HBONE" is only supported for waypoint proxies' });
    const route = routeStatus(httpRoute({ parentRefs: [{ name: "waypoint" }], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] }), world({ gateways: [waypoint], gatewayClasses }), T1);
    expect(route.parents.map((parent) => parent.controllerName)).toEqual(["istio.io/gateway-controller"]);
    const elsewhere = [{ ...gatewayClasses[0]!, spec: { controllerName: "example.com/mesh" } }];
    expect(gatewayStatus(waypoint, world({ gateways: [waypoint], gatewayClasses: elsewhere }), T1)).toBeUndefined();
  });
});

describe("gatewayClassStatus", () => {
  it("accepts classes of istiod's controllers only, the waypoint class's mesh controller included", () => {
    const istio = { apiVersion: "gateway.networking.k8s.io/v1" as const, kind: "GatewayClass" as const, metadata: { name: "istio" }, spec: { controllerName: "istio.io/gateway-controller" } };
    expect(gatewayClassStatus(istio, T1)?.conditions[0]).toMatchObject({ type: "Accepted", status: "True" });
    const waypoint = { ...istio, metadata: { name: "istio-waypoint" }, spec: { controllerName: "istio.io/mesh-controller" } };
    expect(gatewayClassStatus(waypoint, T1)?.conditions[0]).toMatchObject({ type: "Accepted", status: "True", message: "Handled by Istio controller" });
    expect(gatewayClassStatus({ ...istio, spec: { controllerName: "example.com/x" } }, T1)).toBeUndefined();
  });
});
