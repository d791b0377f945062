import { describe, expect, it } from "vitest";
import { edgeLabel, elementChanges, graphElements } from "./elements";
import type { GraphEdge, GraphResponse } from "./model";
import { DEFAULT_GRAPH_PAGE_STATE, readGraphPageState, writeGraphPageState } from "./pageState";

const edge: GraphEdge = {
  id: "a>b>http",
  source: "a",
  target: "b",
  protocol: "http",
  rps: 12.345,
  errorRps: 0,
  errorRate: 0,
  responseClasses: { "2xx": 1, "3xx": 0, "4xx": 0, "5xx": 0, other: 0 },
  percentOfSource: 33.333,
  configuredPercent: null,
  responseTime: { p50: 4, p95: 42.4, p99: 1500 },
  tcpBytesPerSecond: 0,
  throughputBytesPerSecond: 2500,
  mtlsShare: 1,
  health: "healthy",
};

const graph: GraphResponse = {
  timestamp: 1,
  durationSeconds: 60,
  graphType: "versionedApp",
  namespaces: ["bookinfo"],
  queryCount: 6,
  usedRecordingRules: false,
  warnings: [],
  nodes: [
    { id: "a", kind: "versionedApp", namespace: "bookinfo", name: "reviews", app: "reviews", version: "v2", workload: null, service: null, hasSidecar: false, isIdle: false, inboundRps: 1, outboundRps: 0, inboundErrorRps: 0, outboundErrorRps: 0, errorRate: 0, tcpInboundBytesPerSecond: 0, tcpOutboundBytesPerSecond: 0, health: "healthy" },
    { id: "b", kind: "unknown", namespace: "unknown", name: "unknown", app: null, version: null, workload: null, service: null, hasSidecar: null, isIdle: false, inboundRps: 0, outboundRps: 1, inboundErrorRps: 0, outboundErrorRps: 0, errorRate: 0, tcpInboundBytesPerSecond: 0, tcpOutboundBytesPerSecond: 0, health: "healthy" },
  ],
  edges: [edge],
};

describe("graph elements", () => {
  it("labels edges with the chosen figure and a lock when all traffic used mutual TLS", () => {
    expect(edgeLabel(edge, "rps")).toBe("mTLS · 12.35 rps");
    expect(edgeLabel(edge, "percent")).toBe("mTLS · 33%");
    expect(edgeLabel({ ...edge, configuredPercent: 20, percentOfSource: 19.63 }, "percent")).toBe("mTLS · configured 20 % / observed 19.6 %");
    expect(edgeLabel(edge, "responseTime")).toBe("mTLS · 42 ms");
    expect(edgeLabel(edge, "throughput")).toBe("mTLS · 2.5 kB/s");
    expect(edgeLabel({ ...edge, mtlsShare: 0.5 }, "none")).toBe("");
  });

  it("says in words when the policies would deny an edge's callers and how many requests were denied", () => {
    const denial = { policies: ["bookinfo/mesh-console-allow-details-v1"], reason: "no ALLOW policy matches", uncertain: false };
    expect(edgeLabel({ ...edge, policyDenial: denial }, "rps")).toBe("mTLS · would be denied · 12.35 rps");
    expect(edgeLabel({ ...edge, policyDenial: { ...denial, uncertain: true } }, "rps")).toBe("mTLS · may be denied · 12.35 rps");
    expect(edgeLabel({ ...edge, mtlsShare: 0, deniedRps: 2 }, "rps")).toBe("12.35 rps · 2.00 rps denied (403)");
    expect(edgeLabel({ ...edge, mtlsShare: 0, deniedRps: 2 }, "none")).toBe("2.00 rps denied (403)");
    expect(edgeLabel({ ...edge, mtlsShare: 0, deniedRps: 0 }, "none")).toBe("");
  });

  it("boxes nodes by namespace but leaves unknown sources outside", () => {
    const elements = graphElements(graph, "rps");
    expect(elements.nodes.map((node) => [node.id, node.box])).toEqual([
      ["namespace~bookinfo", undefined],
      ["a", "namespace~bookinfo"],
      ["b", undefined],
    ]);
    expect(elements.nodes[1]).toMatchObject({ label: "reviews\nv2", sidecar: "no" });
  });

  it("writes config badges under the name only when the display asks for them", () => {
    const config = [
      { badge: "virtualService" as const, objects: [{ kind: "VirtualService", namespace: "bookinfo", name: "reviews" }] },
      { badge: "circuitBreaker" as const, objects: [{ kind: "DestinationRule", namespace: "bookinfo", name: "reviews" }] },
      { badge: "findings" as const, objects: [], errors: 2, warnings: 1 },
    ];
    const badged = { ...graph, nodes: graph.nodes.map((node, index) => (index === 0 ? { ...node, config } : node)) };
    expect(graphElements(badged, "rps", { badges: true }).nodes[1]?.label).toBe("reviews\nv2\nVS CB !2E 1W");
    expect(graphElements(badged, "rps").nodes[1]?.label).toBe("reviews\nv2");
  });

  it("curves only edges that share their two nodes with another edge", () => {
    const back: GraphEdge = { ...edge, id: "b>a>http", source: "b", target: "a" };
    const tcp: GraphEdge = { ...edge, id: "a>b>tcp", protocol: "tcp" };
    const lone: GraphEdge = { ...edge, id: "a>c>http", target: "c" };
    const parallel = (edges: GraphEdge[]) => graphElements({ ...graph, edges }, "rps").edges.map((element) => [element.id, element.parallel]);
    expect(parallel([edge, back, lone])).toEqual([
      ["a>b>http", "yes"],
      ["b>a>http", "yes"],
      ["a>c>http", "no"],
    ]);
    expect(parallel([edge, tcp])).toEqual([
      ["a>b>http", "yes"],
      ["a>b>tcp", "yes"],
    ]);
    expect(parallel([edge])).toEqual([["a>b>http", "no"]]);
  });

  it("tells a refresh which elements to add, update and remove", () => {
    const changes = elementChanges(["a", "gone"], [{ id: "a" }, { id: "new" }]);
    expect(changes).toEqual({ added: [{ id: "new" }], updated: [{ id: "a" }], removedIds: ["gone"] });
  });
});

describe("graph page URL state", () => {
  it("round-trips the page's parameters and keeps the shared ones", () => {
    const params = writeGraphPageState(new URLSearchParams("namespaces=bookinfo&window=5m"), { ...DEFAULT_GRAPH_PAGE_STATE, graphType: "workload", focus: "a", find: "rps>1", hide: "", edgeLabels: "percent" });
    expect(params.get("namespaces")).toBe("bookinfo");
    expect(params.has("hide")).toBe(false);
    expect(readGraphPageState(params)).toEqual({ ...DEFAULT_GRAPH_PAGE_STATE, graphType: "workload", focus: "a", find: "rps>1", hide: "", edgeLabels: "percent" });
  });

  it("falls back to defaults for values it does not know", () => {
    expect(readGraphPageState(new URLSearchParams("graphType=pods&edgeLabels=colour"))).toMatchObject({ graphType: "versionedApp", edgeLabels: "rps" });
  });
});
