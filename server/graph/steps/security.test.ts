import { describe, expect, it } from "vitest";
import { edgeId, nodeId } from "@/lib/graph/model";
import { bookinfoRequests, bookinfoTcp, mongodb, productpage, ratings, reviewsV1, securitySample } from "../testing/bookinfoSamples";
import { buildTrafficMap } from "../trafficMap";
import { appendSecurity } from "./security";

describe("appendSecurity", () => {
  const map = buildTrafficMap({ requests: bookinfoRequests(), tcpBytes: bookinfoTcp() }, "workload");
  const secured = appendSecurity(map, [
    securitySample(productpage, reviewsV1, "reviews", 3, "mutual_tls"),
    securitySample(productpage, reviewsV1, "reviews", 1, "none"),
    securitySample(ratings, mongodb, "mongodb", 1200, "mutual_tls", "tcp"),
    securitySample("unknown", productpage, "productpage", 0.5, "none"),
  ]);

  it("reports the share of requests the destination saw over mutual TLS", () => {
    const edge = secured.edges.get(edgeId(nodeId("service", "bookinfo", "reviews"), nodeId("workload", "bookinfo", "reviews-v1"), "http"));
    expect(edge?.mtlsShare).toBeCloseTo(0.75);
  });

  it("marks TCP connections over mutual TLS", () => {
    const edge = secured.edges.get(edgeId(nodeId("workload", "bookinfo", "ratings-v1"), nodeId("service", "bookinfo", "mongodb"), "tcp"));
    expect(edge?.mtlsShare).toBe(1);
  });

  it("shows plain-text traffic from outside the mesh as 0 % and unreported edges as unknown", () => {
    expect(secured.edges.get(edgeId(nodeId("unknown", "unknown", "unknown"), nodeId("service", "bookinfo", "productpage"), "http"))?.mtlsShare).toBe(0);
    expect(secured.edges.get(edgeId(nodeId("workload", "bookinfo", "productpage-v1"), nodeId("service", "bookinfo", "details"), "http"))?.mtlsShare).toBeNull();
  });
});
