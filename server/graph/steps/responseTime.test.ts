import { describe, expect, it } from "vitest";
import { edgeId, nodeId } from "@/lib/graph/model";
import { latencySample, productpage, requestSample, reviewsV1, reviewsV2 } from "../testing/bookinfoSamples";
import { buildTrafficMap } from "../trafficMap";
import { appendResponseTime } from "./responseTime";

describe("appendResponseTime", () => {
  const requests = [requestSample(productpage, reviewsV1, "reviews", 3), requestSample(productpage, reviewsV2, "reviews", 1)];
  const map = buildTrafficMap({ requests, tcpBytes: [] }, "versionedApp");
  const reviews = nodeId("service", "bookinfo", "reviews");
  const latency = [
    latencySample(productpage, reviewsV1, "reviews", "0.5", 10),
    latencySample(productpage, reviewsV1, "reviews", "0.95", 40),
    latencySample(productpage, reviewsV1, "reviews", "0.99", 90),
    latencySample(productpage, reviewsV2, "reviews", "0.5", 30),
    latencySample(productpage, reviewsV2, "reviews", "0.95", "NaN"),
  ];
  const timed = appendResponseTime(map, latency);

  it("puts each destination's quantiles on the edge into it", () => {
    expect(timed.edges.get(edgeId(reviews, nodeId("versionedApp", "bookinfo", "reviews", "v1"), "http"))?.responseTime).toEqual({ p50: 10, p95: 40, p99: 90 });
  });

  it("leaves a quantile empty when no request finished (NaN)", () => {
    expect(timed.edges.get(edgeId(reviews, nodeId("versionedApp", "bookinfo", "reviews", "v2"), "http"))?.responseTime).toEqual({ p50: 30, p95: null, p99: null });
  });

  it("weighs the versions by their requests on the edge into the service", () => {
    const intoService = timed.edges.get(edgeId(nodeId("versionedApp", "bookinfo", "productpage", "v1"), reviews, "http"));
    // (10 ms × 3 rps + 30 ms × 1 rps) / 4 rps
    expect(intoService?.responseTime?.p50).toBeCloseTo(15);
  });
});
