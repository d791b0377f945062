import { describe, expect, it } from "vitest";
import { buildTrafficMap } from "../trafficMap";
import { bookinfoRequests, bookinfoTcp } from "../testing/bookinfoSamples";
import { appendTrafficShare } from "./trafficShare";
import { appendConfiguredWeights, configuredVersionSplits } from "./configuredWeights";

const reviewsRule = {
  apiVersion: "networking.istio.io/v1",
  kind: "DestinationRule",
  metadata: { name: "reviews", namespace: "bookinfo" },
  spec: { host: "reviews", subsets: ["v1", "v2", "v3"].map((version) => ({ name: version, labels: { version } })) },
};

function canary(weights: Record<string, number>) {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews", namespace: "bookinfo" },
    spec: { hosts: ["reviews"], http: [{ route: Object.entries(weights).map(([subset, weight]) => ({ destination: { host: "reviews", subset }, weight })) }] },
  };
}

describe("configured weights on the graph", () => {
  it("puts the configured share beside the observed one on each edge from a service to a version", () => {
    const map = appendConfiguredWeights(appendTrafficShare(buildTrafficMap({ requests: bookinfoRequests(), tcpBytes: bookinfoTcp() }, "versionedApp")), {
      virtualServices: [canary({ v1: 80, v2: 20 })],
      destinationRules: [reviewsRule],
    });
    const intoReviews = [...map.edges.values()].filter((edge) => map.nodes.get(edge.source)?.kind === "service" && map.nodes.get(edge.source)?.name === "reviews");
    const configured = Object.fromEntries(intoReviews.map((edge) => [map.nodes.get(edge.target)?.version, edge.configuredPercent]));
    expect(configured).toEqual({ v1: 80, v2: 20, v3: 0 });
    const elsewhere = [...map.edges.values()].filter((edge) => map.nodes.get(edge.source)?.name !== "reviews");
    expect(elsewhere.every((edge) => edge.configuredPercent === null)).toBe(true);
  });

  it("leaves services without a weighted route alone", () => {
    expect(configuredVersionSplits({ virtualServices: [], destinationRules: [reviewsRule] })("bookinfo", "reviews")).toBeNull();
  });

  it("follows subset labels to versions, whatever the subsets are called", () => {
    const renamed = { ...reviewsRule, spec: { host: "reviews.bookinfo.svc.cluster.local", subsets: [{ name: "stable", labels: { version: "v1" } }, { name: "canary", labels: { version: "v3" } }] } };
    expect(configuredVersionSplits({ virtualServices: [canary({ stable: 90, canary: 10 })], destinationRules: [renamed] })("bookinfo", "reviews")).toEqual(
      new Map([
        ["v1", 90],
        ["v3", 10],
      ]),
    );
  });
});
