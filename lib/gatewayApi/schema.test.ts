import { describe, expect, it } from "vitest";
import { gatewayApiSchemaErrors, isGatewayApiObjectKind } from "./schema";

describe("Gateway API schema check", () => {
  it("accepts Istio's Bookinfo gateway and route", () => {
    expect(gatewayApiSchemaErrors("Gateway", { spec: { gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "Same" } } }] } })).toEqual([]);
    expect(
      gatewayApiSchemaErrors("HTTPRoute", {
        spec: { parentRefs: [{ name: "bookinfo-gateway" }], rules: [{ matches: [{ path: { type: "Exact", value: "/productpage" } }], backendRefs: [{ name: "productpage", port: 9080 }] }] },
      }),
    ).toEqual([]);
  });

  it("names the field of each violation as a JSON pointer, with the keyword", () => {
    const errors = gatewayApiSchemaErrors("HTTPRoute", {
      spec: { parentRefs: [{ name: "gw" }], rules: [{ matches: [{ path: { type: "Prefix", value: "/" } }], backendRefs: [{ name: "reviews", port: 99999, weight: -1 }] }] },
    });
    expect(errors.map((e) => [e.instancePath, e.keyword]).sort()).toEqual([
      ["/spec/rules/0/backendRefs/0/port", "maximum"],
      ["/spec/rules/0/backendRefs/0/weight", "minimum"],
      ["/spec/rules/0/matches/0/path/type", "enum"],
    ]);
    expect(gatewayApiSchemaErrors("Gateway", { spec: { listeners: [] } }).map((e) => [e.instancePath, e.keyword, e.params.missingProperty])).toContainEqual(["/spec", "required", "gatewayClassName"]);
  });

  it("checks TCPRoute, TLSRoute, GRPCRoute, ReferenceGrant and GatewayClass too", () => {
    expect(gatewayApiSchemaErrors("TCPRoute", { spec: { rules: [{ backendRefs: [{ name: "db", port: 5432 }] }] } })).toEqual([]);
    expect(gatewayApiSchemaErrors("TLSRoute", { spec: { hostnames: ["shop.example.com"], rules: [{ backendRefs: [{ name: "web", port: 443 }] }] } })).toEqual([]);
    expect(gatewayApiSchemaErrors("GRPCRoute", { spec: { rules: [{ matches: [{ method: { service: "inventory.v1.Inventory", method: "Get" } }] }] } })).toEqual([]);
    expect(gatewayApiSchemaErrors("ReferenceGrant", { spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "web" }], to: [{ group: "", kind: "Service" }] } })).toEqual([]);
    expect(gatewayApiSchemaErrors("GatewayClass", { spec: {} }).map((e) => e.params.missingProperty)).toEqual(["controllerName"]);
    expect(isGatewayApiObjectKind("HTTPRoute")).toBe(true);
    expect(isGatewayApiObjectKind("VirtualService")).toBe(false);
  });
});
