import { describe, expect, it } from "vitest";
import { nodeId } from "@/lib/graph/model";
import { bookinfoRequests, bookinfoTcp, gateway, productpage, requestSample } from "../testing/bookinfoSamples";
import { buildTrafficMap } from "../trafficMap";
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
});
