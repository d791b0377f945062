import { describe, expect, it } from "vitest";
import type { GraphEdge, GraphNode, GraphResponse } from "./model";
import { centredGraphHref, nodeNeighbourhood } from "./neighbourhood";

const node = (id: string): GraphNode => ({ id, kind: "workload", namespace: "ns", name: id, app: null, version: null, workload: id, service: null, hasSidecar: true, isIdle: false, inboundRps: 1, outboundRps: 1, inboundErrorRps: 0, outboundErrorRps: 0, errorRate: 0, tcpInboundBytesPerSecond: 0, tcpOutboundBytesPerSecond: 0, health: "healthy" });
const edge = (source: string, target: string): GraphEdge => ({ id: `${source}>${target}`, source, target, protocol: "http", rps: 1, errorRps: 0, errorRate: 0, responseClasses: { "2xx": 1, "3xx": 0, "4xx": 0, "5xx": 0, other: 0 }, percentOfSource: 100, configuredPercent: null, responseTime: null, tcpBytesPerSecond: 0, throughputBytesPerSecond: null, mtlsShare: null, health: "healthy" });

// gateway → a → b → c → d, and other → b (another caller of b), b → a is a loop back.
const graph: GraphResponse = {
  timestamp: 0, durationSeconds: 60, graphType: "workload", namespaces: ["ns"], queryCount: 3, usedRecordingRules: false, warnings: [],
  nodes: ["gateway", "a", "b", "c", "d", "other", "lonely"].map(node),
  edges: [edge("gateway", "a"), edge("a", "b"), edge("b", "c"), edge("c", "d"), edge("other", "b")],
};
const ids = (result: GraphResponse) => result.nodes.map((kept) => kept.id).sort();

describe("node-centred graph", () => {
  it("keeps callers upstream and callees downstream to the depth asked", () => {
    expect(ids(nodeNeighbourhood(graph, "b", 1))).toEqual(["a", "b", "c", "other"]);
    expect(ids(nodeNeighbourhood(graph, "b", 2))).toEqual(["a", "b", "c", "d", "gateway", "other"]);
  });

  it("does not reach a caller's other callees (siblings stay out)", () => {
    // a is called by gateway alone; b's other caller is no neighbour of a.
    const result = nodeNeighbourhood(graph, "a", 1);
    expect(ids(result)).toEqual(["a", "b", "gateway"]);
    expect(result.edges.map((kept) => kept.id).sort()).toEqual(["a>b", "gateway>a"]);
  });

  it("leaves an empty graph for a node without traffic in the window", () => {
    const result = nodeNeighbourhood(graph, "missing", 3);
    expect(result.nodes).toEqual([]);
    expect(result.edges).toEqual([]);
  });
});

describe("links from detail pages", () => {
  it("opens the graph type that draws the object, centred on its node", () => {
    expect(centredGraphHref("service", "bookinfo", "reviews")).toBe("/graph?namespaces=bookinfo&graphType=versionedApp&node=service%7Ebookinfo%7Ereviews%7E");
    expect(centredGraphHref("workload", "bookinfo", "reviews-v2", 2)).toBe("/graph?namespaces=bookinfo&graphType=workload&node=workload%7Ebookinfo%7Ereviews-v2%7E&depth=2");
    expect(centredGraphHref("app", "bookinfo", "ratings")).toContain("graphType=app&node=app%7Ebookinfo%7Eratings%7E");
  });
});
