import { describe, expect, it } from "vitest";
import { edgeId, nodeId } from "@/lib/graph/model";
import { bookinfoRequests, bookinfoTcp } from "../testing/bookinfoSamples";
import { buildTrafficMap } from "../trafficMap";
import { appendTrafficShare } from "./trafficShare";

describe("appendTrafficShare", () => {
  const map = appendTrafficShare(buildTrafficMap({ requests: bookinfoRequests(), tcpBytes: bookinfoTcp() }, "versionedApp"));
  const reviews = nodeId("service", "bookinfo", "reviews");

  it("shows how a service splits its requests between versions", () => {
    const share = (version: string) => map.edges.get(edgeId(reviews, nodeId("versionedApp", "bookinfo", "reviews", version), "http"))?.percentOfSource;
    expect(share("v1")).toBeCloseTo(40);
    expect(share("v2")).toBeCloseTo(30);
    expect(share("v3")).toBeCloseTo(30);
  });

  it("gives each caller's outbound edges shares that add up to 100 %", () => {
    const productpage = nodeId("versionedApp", "bookinfo", "productpage", "v1");
    const total = [...map.edges.values()].filter((edge) => edge.source === productpage).reduce((sum, edge) => sum + edge.percentOfSource, 0);
    expect(total).toBeCloseTo(100);
  });

  it("measures TCP edges against the caller's TCP bytes, not its requests", () => {
    const ratings = nodeId("versionedApp", "bookinfo", "ratings", "v1");
    expect(map.edges.get(edgeId(ratings, nodeId("service", "bookinfo", "mongodb"), "tcp"))?.percentOfSource).toBeCloseTo(100);
  });
});
