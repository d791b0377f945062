import { describe, expect, it } from "vitest";
import { buildTrafficMap, gatewayWorkloadsOf } from "../trafficMap";
import { requestSample, type Workload } from "../testing/bookinfoSamples";
import { appendConfiguredWeights, configuredVersionServiceSplits } from "./configuredWeights";
import { appendTrafficShare } from "./trafficShare";

// The demo's storefront: a Gateway API ingress gateway in front of web, which calls catalog split 80/20 by a GAMMA HTTPRoute.
const ingress: Workload = { namespace: "storefront", workload: "storefront-gateway-istio", app: "storefront-gateway-istio", version: "latest" };
const web: Workload = { namespace: "storefront", workload: "web-v1", app: "web", version: "v1" };
const catalogV1: Workload = { namespace: "storefront", workload: "catalog-v1", app: "catalog", version: "v1" };
const catalogV2: Workload = { namespace: "storefront", workload: "catalog-v2", app: "catalog", version: "v2" };
const samples = {
  requests: [requestSample(ingress, web, "web", 10), requestSample(web, catalogV1, "catalog-v1", 7.9), requestSample(web, catalogV2, "catalog-v2", 2.1)],
  tcpBytes: [],
};
const inventoryWorkloads: { namespace: string; name: string; labels: Record<string, string> }[] = [
  { namespace: "storefront", name: "storefront-gateway-istio", labels: { "gateway.networking.k8s.io/gateway-name": "storefront-gateway", "service.istio.io/canonical-name": "storefront-gateway-istio" } },
  { namespace: "storefront", name: "web-v1", labels: { app: "web", version: "v1" } },
];

function catalogRoute(weights: [number, number], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: "catalog", namespace: "storefront", creationTimestamp: "2026-01-01T00:00:00Z", ...extra },
    spec: {
      parentRefs: [{ group: "", kind: "Service", name: "catalog", port: 8080 }],
      rules: [{ backendRefs: [{ name: "catalog-v1", port: 8080, weight: weights[0] }, { name: "catalog-v2", port: 8080, weight: weights[1] }] }],
    },
  };
}

describe("Gateway API ingress gateways on the graph", () => {
  it("draws a workload labelled as a Gateway API gateway as a gateway node, which a name alone would not", () => {
    const plain = buildTrafficMap(samples, "versionedApp");
    expect([...plain.nodes.values()].some((node) => node.kind === "gateway")).toBe(false);
    const map = buildTrafficMap(samples, "versionedApp", { gatewayWorkloads: gatewayWorkloadsOf(inventoryWorkloads) });
    const gateways = [...map.nodes.values()].filter((node) => node.kind === "gateway");
    expect(gateways.map((node) => `${node.namespace}/${node.name}`)).toEqual(["storefront/storefront-gateway-istio"]);
    // The same gateway in every graph type, as istio-ingressgateway is.
    for (const type of ["app", "workload", "service"] as const) {
      expect([...buildTrafficMap(samples, type, { gatewayWorkloads: gatewayWorkloadsOf(inventoryWorkloads) }).nodes.values()].some((node) => node.kind === "gateway")).toBe(true);
    }
  });
});

describe("HTTPRoute splits on the graph", () => {
  it("reads the configured share of each version Service from the service's mesh HTTPRoute", () => {
    expect(configuredVersionServiceSplits([catalogRoute([80, 20])])).toEqual(
      new Map([
        ["storefront/catalog-v1", 80],
        ["storefront/catalog-v2", 20],
      ]),
    );
    // A route attached to a Gateway only is no mesh split.
    const ingressOnly = { ...catalogRoute([80, 20]), spec: { ...catalogRoute([80, 20]).spec, parentRefs: [{ name: "storefront-gateway" }] } };
    expect(configuredVersionServiceSplits([ingressOnly]).size).toBe(0);
  });

  it("puts configured next to observed on the caller's edges to catalog-v1 and catalog-v2", () => {
    const map = appendConfiguredWeights(appendTrafficShare(buildTrafficMap(samples, "versionedApp")), { virtualServices: [], destinationRules: [], httpRoutes: [catalogRoute([80, 20])] });
    const fromWeb = [...map.edges.values()].filter((edge) => map.nodes.get(edge.source)?.app === "web" && map.nodes.get(edge.target)?.kind === "service");
    const shares = Object.fromEntries(fromWeb.map((edge) => [map.nodes.get(edge.target)?.name, [edge.configuredPercent, Math.round(edge.percentOfSource)]]));
    expect(shares).toEqual({ "catalog-v1": [80, 79], "catalog-v2": [20, 21] });
    // The ingress edge to web is split by nothing.
    const intoWeb = [...map.edges.values()].filter((edge) => map.nodes.get(edge.target)?.name === "web");
    expect(intoWeb.every((edge) => edge.configuredPercent === null)).toBe(true);
  });

  it("follows a weight change", () => {
    const map = appendConfiguredWeights(appendTrafficShare(buildTrafficMap(samples, "workload")), { virtualServices: [], destinationRules: [], httpRoutes: [catalogRoute([50, 50])] });
    const configured = [...map.edges.values()].flatMap((edge) => (edge.configuredPercent === null ? [] : [edge.configuredPercent]));
    expect(configured).toEqual([50, 50]);
  });
});
