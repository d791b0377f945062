import { describe, expect, it } from "vitest";
import { edgeId, nodeId } from "@/lib/graph/model";
import { bookinfoRequests, bookinfoTcp, details, gateway, productpage, requestSample } from "../testing/bookinfoSamples";
import { buildTrafficMap } from "../trafficMap";
import { parseHealthThresholds } from "@/lib/health";
import { appendHealth } from "./health";

describe("appendHealth", () => {
  it("judges a node by the errors of the requests it received", () => {
    const map = appendHealth(buildTrafficMap({ requests: bookinfoRequests(), tcpBytes: bookinfoTcp() }, "versionedApp"));
    // ratings answers 0.3 of 6 rps with 500: 5 % is degraded, not failing.
    const ratings = map.nodes.get(nodeId("versionedApp", "bookinfo", "ratings", "v1"));
    expect(ratings?.health).toBe("degraded");
    expect(ratings?.errorRate).toBeCloseTo(0.05);
    expect(map.nodes.get(nodeId("versionedApp", "bookinfo", "details", "v1"))?.health).toBe("healthy");
  });

  it("judges a node nobody calls by the requests it sent", () => {
    const failingCalls = [requestSample(gateway, productpage, "productpage", 3, { code: "503", flags: "UF" }), requestSample(gateway, productpage, "productpage", 7)];
    const map = appendHealth(buildTrafficMap({ requests: failingCalls, tcpBytes: [] }, "app"));
    expect(map.nodes.get(nodeId("gateway", "istio-system", "istio-ingressgateway"))).toMatchObject({ health: "failing", errorRate: 0.3 });
  });

  it("calls a node with only TCP traffic healthy and one with none no-traffic", () => {
    const map = appendHealth(buildTrafficMap({ requests: [], tcpBytes: bookinfoTcp() }, "workload"));
    expect(map.nodes.get(nodeId("workload", "bookinfo", "mongodb-v1"))?.health).toBe("healthy");
    const silent = appendHealth(buildTrafficMap({ requests: [requestSample(gateway, productpage, "productpage", 0)], tcpBytes: [] }, "workload"));
    expect(silent.nodes.get(nodeId("workload", "bookinfo", "productpage-v1"))?.health).toBe("no-traffic");
  });

  it("judges nodes and edges by their own rules, and says which annotation it ignored", () => {
    const requests = [requestSample(productpage, details, "details", 8), requestSample(productpage, details, "details", 2, { code: "404" })];
    const settings = {
      global: parseHealthThresholds("failed=0.1%/20%;http:4xx=10%/-").rules,
      annotations: { namespaces: new Map([["bookinfo", "5xx=oops"]]), services: new Map([["bookinfo/details", "http:404=ignore"]]), workloads: new Map() },
    };
    const map = appendHealth(buildTrafficMap({ requests, tcpBytes: [] }, "workload"), settings);
    expect(map.nodes.get(nodeId("service", "bookinfo", "details"))?.health).toBe("healthy");
    expect(map.nodes.get(nodeId("workload", "bookinfo", "details-v1"))?.health).toBe("degraded");
    expect(map.edges.get(edgeId(nodeId("workload", "bookinfo", "productpage-v1"), nodeId("service", "bookinfo", "details"), "http"))?.health).toBe("healthy");
    expect(map.notes).toEqual([expect.stringMatching(/annotation on Namespace bookinfo is ignored/)]);
  });
});
