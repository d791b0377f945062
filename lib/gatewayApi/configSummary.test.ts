import { describe, expect, it } from "vitest";
import { backendShares, summarizeGatewayApiObject } from "./configSummary";

describe("summarizeGatewayApiObject", () => {
  it("summarizes a GAMMA canary route with each version's share", () => {
    const summary = summarizeGatewayApiObject({
      kind: "HTTPRoute",
      metadata: { namespace: "storefront", name: "catalog" },
      spec: {
        parentRefs: [{ group: "", kind: "Service", name: "catalog", port: 8080 }],
        rules: [
          { matches: [{ path: { type: "PathPrefix", value: "/api" }, headers: [{ name: "x-canary", value: "true" }] }], backendRefs: [{ name: "catalog-v2", port: 8080 }], timeouts: { request: "2s" } },
          { backendRefs: [{ name: "catalog-v1", port: 8080, weight: 80 }, { name: "catalog-v2", port: 8080, weight: 20 }] },
        ],
      },
    });
    expect(summary?.parents).toEqual(["Service storefront/catalog:8080"]);
    expect(summary?.rules[0]?.matches).toEqual(["PathPrefix /api, header x-canary=true"]);
    expect(summary?.rules[0]?.timeouts).toBe("request 2s");
    expect(summary?.rules[1]?.matches).toEqual([]);
    expect(summary?.rules[1]?.backends.map((backend) => [backend.target, backend.percent])).toEqual([
      ["Service storefront/catalog-v1:8080", 80],
      ["Service storefront/catalog-v2:8080", 20],
    ]);
  });

  it("describes a Gateway's listeners and a GRPCRoute's method match", () => {
    const gateway = summarizeGatewayApiObject({ kind: "Gateway", metadata: { namespace: "storefront" }, spec: { gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP", hostname: "shop.example.com" }] } });
    expect(gateway?.facts).toEqual(["Class istio", "Listener http: HTTP :80 shop.example.com, routes from Same namespace"]);
    const grpc = summarizeGatewayApiObject({ kind: "GRPCRoute", metadata: { namespace: "storefront" }, spec: { rules: [{ matches: [{ method: { service: "inventory.Inventory", method: "Get" } }], backendRefs: [{ name: "inventory", port: 9090 }] }] } });
    expect(grpc?.rules[0]?.matches).toEqual(["gRPC inventory.Inventory/Get"]);
  });

  it("says what a ReferenceGrant allows", () => {
    const grant = summarizeGatewayApiObject({ kind: "ReferenceGrant", metadata: { namespace: "storefront" }, spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "ingress" }], to: [{ group: "", kind: "Service" }] } });
    expect(grant?.facts).toEqual(["Allows HTTPRoutes in ingress", "to Services in storefront"]);
  });
});

describe("backendShares", () => {
  it("defaults a missing weight to 1 and keeps a backend other than a Service unlinked", () => {
    const shares = backendShares([{ name: "a" }, { name: "b", weight: 3 }, { name: "c", kind: "ServiceImport", group: "multicluster.x-k8s.io", weight: 0 }], "ns");
    expect(shares.map((share) => share.percent)).toEqual([25, 75, 0]);
    expect(shares[2]?.service).toBeUndefined();
    expect(shares[0]?.service).toEqual({ namespace: "ns", name: "a" });
  });

  it("answers 0 for every backend when all weights are 0", () => {
    expect(backendShares([{ name: "a", weight: 0 }], "ns")[0]?.percent).toBe(0);
  });
});
