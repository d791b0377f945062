import { describe, expect, it } from "vitest";
import { edgeId, nodeId } from "@/lib/graph/model";
import { bookinfoRequests, bookinfoTcp, productpage, requestSample, reviewsV1, details } from "./testing/bookinfoSamples";
import { isFailedRequest } from "@/server/telemetry";
import { appendHealth } from "./steps/health";
import { buildTrafficMap } from "./trafficMap";

const samples = { requests: bookinfoRequests(), tcpBytes: bookinfoTcp() };
const versioned = (name: string, version: string) => nodeId("versionedApp", "bookinfo", name, version);
const service = (name: string) => nodeId("service", "bookinfo", name);

describe("buildTrafficMap", () => {
  it("draws the versioned app graph with services between callers and versions", () => {
    const map = buildTrafficMap(samples, "versionedApp");
    expect([...map.nodes.keys()].sort()).toEqual(
      [
        nodeId("gateway", "istio-system", "istio-ingressgateway"),
        nodeId("unknown", "unknown", "unknown"),
        nodeId("external", "", "api.books.example.com"),
        service("productpage"),
        service("details"),
        service("reviews"),
        service("ratings"),
        service("mongodb"),
        versioned("productpage", "v1"),
        versioned("details", "v1"),
        versioned("reviews", "v1"),
        versioned("reviews", "v2"),
        versioned("reviews", "v3"),
        versioned("ratings", "v1"),
        versioned("mongodb", "v1"),
      ].sort(),
    );
    const intoReviews = map.edges.get(edgeId(versioned("productpage", "v1"), service("reviews"), "http"));
    expect(intoReviews?.rps).toBeCloseTo(10);
    expect(map.edges.get(edgeId(service("reviews"), versioned("reviews", "v1"), "http"))?.rps).toBeCloseTo(4);
  });

  it("collapses versions into one node per app in the app graph", () => {
    const map = buildTrafficMap(samples, "app");
    const reviewsApps = [...map.nodes.values()].filter((node) => node.app === "reviews" && node.kind === "app");
    expect(reviewsApps.map((node) => node.id)).toEqual([nodeId("app", "bookinfo", "reviews")]);
    // reviews v2 and v3 both call ratings: one app edge carrying their sum.
    const reviewsToRatings = map.edges.get(edgeId(nodeId("app", "bookinfo", "reviews"), service("ratings"), "http"));
    expect(reviewsToRatings?.rps).toBeCloseTo(6);
    expect(reviewsToRatings?.errorRps).toBeCloseTo(0.3);
  });

  it("names workloads in the workload graph", () => {
    const map = buildTrafficMap(samples, "workload");
    const workloads = [...map.nodes.values()].filter((node) => node.kind === "workload").map((node) => node.name);
    expect(workloads.sort()).toEqual(["details-v1", "mongodb-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3"]);
  });

  it("draws callers as the services their workloads serve in the service graph", () => {
    const map = buildTrafficMap(samples, "service");
    const kinds = new Set([...map.nodes.values()].map((node) => node.kind));
    expect(kinds).toEqual(new Set(["service", "gateway", "unknown", "external"]));
    expect(map.edges.get(edgeId(service("productpage"), service("reviews"), "http"))?.rps).toBeCloseTo(10);
    expect(map.edges.get(edgeId(service("reviews"), service("ratings"), "http"))?.rps).toBeCloseTo(6);
  });

  it("shows traffic from outside the mesh as coming from an unknown node", () => {
    const map = buildTrafficMap(samples, "versionedApp");
    const fromOutside = map.edges.get(edgeId(nodeId("unknown", "unknown", "unknown"), service("productpage"), "http"));
    expect(fromOutside?.rps).toBeCloseTo(0.5);
    expect(map.nodes.get(service("productpage"))?.inboundRps).toBeCloseTo(10.5);
  });

  it("draws TCP traffic as its own edges in bytes per second", () => {
    const map = appendHealth(buildTrafficMap(samples, "workload"));
    const toMongo = map.edges.get(edgeId(nodeId("workload", "bookinfo", "ratings-v1"), service("mongodb"), "tcp"));
    expect(toMongo).toMatchObject({ protocol: "tcp", rps: 0, tcpBytesPerSecond: 1200, health: "healthy" });
    expect(map.nodes.get(nodeId("workload", "bookinfo", "ratings-v1"))?.tcpOutboundBytesPerSecond).toBe(1200);
  });

  it("keeps ServiceEntry hosts outside the namespaces as external nodes", () => {
    const map = buildTrafficMap(samples, "versionedApp");
    const external = map.nodes.get(nodeId("external", "", "api.books.example.com"));
    expect(external).toMatchObject({ kind: "external", name: "api.books.example.com", inboundRps: 0.2 });
  });

  it("counts 5xx, response flags and failed gRPC calls as errors, but not a plain 404", () => {
    expect(isFailedRequest(requestSample(productpage, details, "details", 1, { code: "503" }).metric)).toBe(true);
    expect(isFailedRequest(requestSample(productpage, details, "details", 1, { code: "404", flags: "NR" }).metric)).toBe(true);
    expect(isFailedRequest(requestSample(productpage, details, "details", 1, { code: "200", protocol: "grpc", grpcStatus: "14" }).metric)).toBe(true);
    expect(isFailedRequest(requestSample(productpage, details, "details", 1, { code: "404" }).metric)).toBe(false);
  });

  it("splits an edge's requests into response classes", () => {
    const map = appendHealth(
      buildTrafficMap({ requests: [requestSample(productpage, reviewsV1, "reviews", 9), requestSample(productpage, reviewsV1, "reviews", 1, { code: "503", flags: "UO" })], tcpBytes: [] }, "workload"),
    );
    const edge = map.edges.get(edgeId(nodeId("workload", "bookinfo", "productpage-v1"), service("reviews"), "http"));
    expect(edge?.responseClasses).toEqual({ "2xx": 0.9, "3xx": 0, "4xx": 0, "5xx": 0.1, other: 0 });
    expect(edge?.errorRate).toBeCloseTo(0.1);
    expect(edge?.health).toBe("degraded");
  });

  it("gives the same ids when the same traffic is seen again", () => {
    const first = buildTrafficMap(samples, "versionedApp");
    const again = buildTrafficMap({ requests: [...bookinfoRequests()].reverse(), tcpBytes: bookinfoTcp() }, "versionedApp");
    expect([...again.nodes.keys()].sort()).toEqual([...first.nodes.keys()].sort());
    expect([...again.edges.keys()].sort()).toEqual([...first.edges.keys()].sort());
  });
});
