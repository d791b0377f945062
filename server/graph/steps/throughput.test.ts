import { describe, expect, it } from "vitest";
import { edgeId, nodeId } from "@/lib/graph/model";
import { bookinfoTcp, details, productpage, ratings, mongodb, requestSample } from "../testing/bookinfoSamples";
import { buildTrafficMap } from "../trafficMap";
import { appendThroughput } from "./throughput";

describe("appendThroughput", () => {
  it("adds request and response bytes per second to HTTP edges and leaves TCP edges to their own bytes", () => {
    const map = buildTrafficMap({ requests: [requestSample(productpage, details, "details", 10)], tcpBytes: bookinfoTcp() }, "workload");
    const withBytes = appendThroughput(map, [requestSample(productpage, details, "details", 2048)]);
    const intoDetails = withBytes.edges.get(edgeId(nodeId("workload", "bookinfo", "productpage-v1"), nodeId("service", "bookinfo", "details"), "http"));
    expect(intoDetails?.throughputBytesPerSecond).toBe(2048);
    const toMongo = withBytes.edges.get(edgeId(nodeId("workload", "bookinfo", ratings.workload), nodeId("service", "bookinfo", mongodb.app), "tcp"));
    expect(toMongo?.throughputBytesPerSecond).toBeNull();
  });
});
