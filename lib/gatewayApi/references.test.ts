import { describe, expect, it } from "vitest";
import {
  hostnameIntersection,
  listenerAllowsNamespace,
  referenceGrantAllows,
  resolveBackendRefs,
  resolveParentRefs,
  type GatewayApiRoute,
  type GatewayApiWorld,
} from "./references";
import type { IGateway, IListener, IReferenceGrant } from "./types";

function gateway(name: string, namespace: string, listeners: IListener[], className = "istio"): IGateway {
  return { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name, namespace }, spec: { gatewayClassName: className, listeners } };
}

const httpListener: IListener = { name: "http", port: 80, protocol: "HTTP", hostname: "shop.example.com" };

function world(overrides: Partial<GatewayApiWorld> = {}): GatewayApiWorld {
  return {
    gateways: [gateway("gw", "storefront", [httpListener])],
    gatewayClasses: [],
    services: [
      { metadata: { name: "web", namespace: "storefront" }, spec: { ports: [{ port: 8080 }] } },
      { metadata: { name: "catalog", namespace: "storefront" }, spec: { ports: [{ port: 8080 }] } },
      { metadata: { name: "ledger", namespace: "payments" }, spec: { ports: [{ port: 9000 }] } },
    ],
    namespaces: [{ metadata: { name: "storefront", labels: { shop: "yes" } } }, { metadata: { name: "other" } }],
    referenceGrants: [],
    ...overrides,
  };
}

function route(spec: GatewayApiRoute["spec"], namespace = "storefront", kind: GatewayApiRoute["kind"] = "HTTPRoute"): GatewayApiRoute {
  return { kind, metadata: { name: "r", namespace }, spec };
}

describe("hostnameIntersection", () => {
  it.each([
    [undefined, [], ["*"]],
    [undefined, ["a.example.com"], ["a.example.com"]],
    ["shop.example.com", [], ["shop.example.com"]],
    ["shop.example.com", ["shop.example.com"], ["shop.example.com"]],
    ["shop.example.com", ["*.example.com"], ["shop.example.com"]],
    ["*.example.com", ["a.b.example.com"], ["a.b.example.com"]],
    ["*.example.com", ["*.b.example.com"], ["*.b.example.com"]],
    ["*.example.com", ["example.com"], []],
    ["shop.example.com", ["other.example.com", "shop.example.com"], ["shop.example.com"]],
    ["shop.example.com", ["www.example.org"], []],
  ] as const)("listener %s and route %j share %j", (listener, routeHostnames, expected) => {
    expect(hostnameIntersection(listener, routeHostnames)).toEqual(expected);
  });
});

describe("listenerAllowsNamespace", () => {
  const namespaces = world().namespaces;
  it.each([
    ["Same by default", {}, "storefront", true],
    ["Same rejects another namespace", {}, "other", false],
    ["All", { namespaces: { from: "All" } }, "other", true],
    ["Selector on labels", { namespaces: { from: "Selector", selector: { matchLabels: { shop: "yes" } } } }, "storefront", true],
    ["Selector misses", { namespaces: { from: "Selector", selector: { matchLabels: { shop: "yes" } } } }, "other", false],
    ["Selector on the automatic name label", { namespaces: { from: "Selector", selector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["other"] }] } } }, "other", true],
  ] as const)("%s", (_name, allowedRoutes, routeNamespace, expected) => {
    const listener: IListener = { ...httpListener, allowedRoutes: allowedRoutes as IListener["allowedRoutes"] };
    expect(listenerAllowsNamespace(listener, "storefront", routeNamespace, namespaces)).toBe(expected);
  });
});

describe("resolveParentRefs", () => {
  it.each([
    ["a Gateway in the same namespace", route({ parentRefs: [{ name: "gw" }], hostnames: ["shop.example.com"] }), world(), true, "Accepted", "Route was valid"],
    ["a missing Gateway", route({ parentRefs: [{ name: "nope" }] }), world(), false, "NoMatchingParent", 'parent gateway "storefront/nope" not found'],
    ["an unknown sectionName", route({ parentRefs: [{ name: "gw", sectionName: "https" }] }), world(), false, "NoMatchingParent", 'sectionName "https" not found'],
    ["a port no listener has", route({ parentRefs: [{ name: "gw", port: 443 }] }), world(), false, "NoMatchingParent", "port 443 not found"],
    ["a hostname the listener does not serve", route({ parentRefs: [{ name: "gw" }], hostnames: ["www.example.org"] }), world(), false, "NoMatchingListenerHostname", 'no hostnames matched parent hostname "shop.example.com"'],
    [
      "a route from a namespace the listener does not allow",
      route({ parentRefs: [{ name: "gw", namespace: "storefront" }] }, "other"),
      world(),
      false,
      "NotAllowedByListeners",
      'hostnames matched parent hostname "shop.example.com", but namespace "other" is not allowed by the parent',
    ],
    ["a TCPRoute on an HTTP listener", route({ parentRefs: [{ name: "gw" }] }, "storefront", "TCPRoute"), world(), false, "NotAllowedByListeners", "kind gateway.networking.k8s.io/v1, Kind=TCPRoute is not allowed"],
    ["a GAMMA Service parent", route({ parentRefs: [{ group: "", kind: "Service", name: "catalog", port: 8080 }] }), world(), true, "Accepted", "Route was valid"],
    ["a missing Service parent", route({ parentRefs: [{ group: "", kind: "Service", name: "gone" }] }), world(), false, "NoMatchingParent", 'parent service: "gone" not found'],
    ["an unsupported parent kind", route({ parentRefs: [{ group: "example.com", kind: "Proxy", name: "p" }] }), world(), false, "UnsupportedValue", 'parentRef of group "example.com" kind "Proxy" is not supported'],
  ])("%s", (_name, input, objects, accepted, reason, message) => {
    const [resolution] = resolveParentRefs(input, objects);
    expect(resolution).toMatchObject({ accepted, reason, message });
  });

  it("binds a route without sectionName to every listener that accepts it and says how many", () => {
    const objects = world({ gateways: [gateway("gw", "storefront", [httpListener, { name: "alt", port: 8080, protocol: "HTTP" }])] });
    const [resolution] = resolveParentRefs(route({ parentRefs: [{ name: "gw" }] }), objects);
    expect(resolution?.listeners.map((binding) => binding.accepted)).toEqual([true, true]);
    expect(resolution?.message).toBe("Route was valid, bound to 2 parents");
  });

  it("leaves a Gateway of another controller unmanaged", () => {
    const objects = world({
      gateways: [gateway("gw", "storefront", [httpListener], "other")],
      gatewayClasses: [{ apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "other" }, spec: { controllerName: "example.com/controller" } }],
    });
    expect(resolveParentRefs(route({ parentRefs: [{ name: "gw" }] }), objects)[0]?.managed).toBe(false);
  });
});

const grant: IReferenceGrant = {
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "ReferenceGrant",
  metadata: { name: "allow-storefront", namespace: "payments" },
  spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "storefront" }], to: [{ group: "", kind: "Service" }] },
};

describe("referenceGrantAllows", () => {
  const from = { group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "storefront" };
  const to = { group: "", kind: "Service", namespace: "payments", name: "ledger" };
  it.each([
    ["same namespace needs no grant", [], { ...to, namespace: "storefront" }, from, true],
    ["cross-namespace without a grant", [], to, from, false],
    ["a grant for the kind", [grant], to, from, true],
    ["a grant for another route kind", [grant], to, { ...from, kind: "GRPCRoute" }, false],
    ["a grant naming another Service", [{ ...grant, spec: { from: grant.spec?.from ?? [], to: [{ group: "", kind: "Service", name: "other" }] } }], to, from, false],
    ["a grant in the wrong namespace", [{ ...grant, metadata: { name: "g", namespace: "storefront" } }], to, from, false],
  ] as [string, IReferenceGrant[], typeof to, typeof from, boolean][])("%s", (_name, grants, target, source, expected) => {
    expect(referenceGrantAllows(grants, source, target)).toBe(expected);
  });
});

describe("resolveBackendRefs", () => {
  it.each([
    ["a Service and port that exist", { name: "web", port: 8080 }, world(), true, "ResolvedRefs", "All references resolved", false],
    ["a port the Service does not expose", { name: "web", port: 9090 }, world(), true, "ResolvedRefs", "All references resolved", true],
    ["a missing Service", { name: "gone", port: 80 }, world(), false, "BackendNotFound", "backend(gone.storefront.svc.cluster.local) not found", false],
    ["another namespace without a grant", { name: "ledger", namespace: "payments", port: 9000 }, world(), false, "RefNotPermitted", 'backendRef ledger/payments not accessible to a HTTPRoute in namespace "storefront" (missing a ReferenceGrant?)', false],
    ["another namespace with a grant", { name: "ledger", namespace: "payments", port: 9000 }, world({ referenceGrants: [grant] }), true, "ResolvedRefs", "All references resolved", false],
    ["an unsupported kind", { group: "example.com", kind: "Bucket", name: "b" }, world(), false, "InvalidKind", 'referencing unsupported backendRef: group "example.com" kind "Bucket"', false],
    ["a Service without port", { name: "web" }, world(), false, "InvalidDestination", "port is required in backendRef", false],
  ] as const)("%s", (_name, backendRef, objects, resolved, reason, message, portNotExposed) => {
    const [resolution] = resolveBackendRefs(route({ rules: [{ backendRefs: [backendRef] }] }), objects);
    expect(resolution).toMatchObject({ resolved, reason, message, portNotExposed });
  });

  it("numbers backends by rule and position, for findings on the field", () => {
    const resolutions = resolveBackendRefs(route({ rules: [{ backendRefs: [{ name: "web", port: 8080 }] }, { backendRefs: [{ name: "catalog", port: 8080 }, { name: "gone", port: 1 }] }] }), world());
    expect(resolutions.map((r) => [r.ruleIndex, r.backendIndex, r.resolved])).toEqual([
      [0, 0, true],
      [1, 0, true],
      [1, 1, false],
    ]);
  });
});
