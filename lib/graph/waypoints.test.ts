import { describe, expect, it } from "vitest";
import { edgeId, nodeId, type GraphEdge, type GraphNode, type GraphResponse } from "./model";
import { DEFAULT_GRAPH_PAGE_STATE, readGraphPageState, writeGraphPageState } from "./pageState";
import { foldWaypoints } from "./waypoints";

function node(id: string, fields: Partial<GraphNode> = {}): GraphNode {
  return { id, kind: "workload", namespace: "ambient-shop", name: id, app: null, version: null, workload: id, service: null, hasSidecar: null, isIdle: false, inboundRps: 0, outboundRps: 0, inboundErrorRps: 0, outboundErrorRps: 0, errorRate: 0, tcpInboundBytesPerSecond: 0, tcpOutboundBytesPerSecond: 0, health: "healthy", ...fields };
}

function tcpEdge(source: string, target: string, bytes: number): GraphEdge {
  return { id: edgeId(source, target, "tcp"), source, target, protocol: "tcp", rps: 0, errorRps: 0, errorRate: 0, responseClasses: { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, other: 0 }, percentOfSource: 100, configuredPercent: null, responseTime: null, tcpBytesPerSecond: bytes, throughputBytesPerSecond: null, mtlsShare: null, health: "healthy" };
}

const graph = (nodes: GraphNode[], edges: GraphEdge[]): GraphResponse => ({ timestamp: 0, durationSeconds: 60, graphType: "workload", namespaces: ["ambient-shop"], queryCount: 2, usedRecordingRules: false, warnings: [], nodes, edges });

describe("folding waypoints into their edges", () => {
  const waypoint = nodeId("gateway", "ambient-shop", "waypoint");
  const cart = nodeId("service", "ambient-shop", "cart");
  const onward = nodeId("service", "ambient-shop", "cart-v1");
  const backend = nodeId("workload", "ambient-shop", "cart-v1");

  it("leaves a graph without waypoints as it is", () => {
    const plain = graph([node("a"), node("b")], [tcpEdge("a", "b", 10)]);
    expect(foldWaypoints(plain)).toBe(plain);
  });

  it("drops the waypoint, its hops and the nodes only they reached, and takes their bytes off the ends", () => {
    const folded = foldWaypoints(
      graph(
        [node("shop-web", { tcpOutboundBytesPerSecond: 100 }), node(cart, { kind: "service", tcpInboundBytesPerSecond: 100, tcpOutboundBytesPerSecond: 100 }), node(waypoint, { kind: "gateway", isWaypoint: true }), node(onward, { kind: "service" }), node(backend, { tcpInboundBytesPerSecond: 100 })],
        [tcpEdge("shop-web", cart, 100), tcpEdge(cart, waypoint, 100), tcpEdge(waypoint, onward, 100), tcpEdge(onward, backend, 100)],
      ),
    );
    expect(folded.nodes.map((kept) => kept.id).sort()).toEqual([backend, cart, onward, "shop-web"].sort());
    expect(folded.edges.map((edge) => edge.id)).toEqual([edgeId("shop-web", cart, "tcp"), edgeId(onward, backend, "tcp")]);
    expect(folded.nodes.find((kept) => kept.id === cart)?.tcpOutboundBytesPerSecond).toBe(0);
    expect(folded.nodes.find((kept) => kept.id === cart)?.tcpInboundBytesPerSecond).toBe(100);
  });

  it("drops a service that only the waypoint's onward hop reached", () => {
    const folded = foldWaypoints(graph([node(waypoint, { kind: "gateway", isWaypoint: true }), node(onward, { kind: "service" })], [tcpEdge(waypoint, onward, 5)]));
    expect(folded.nodes).toEqual([]);
    expect(folded.edges).toEqual([]);
  });
});

describe("the waypoints display option in the URL", () => {
  it("folds by default and carries `waypoints=show` only when shown", () => {
    expect(readGraphPageState(new URLSearchParams("")).waypoints).toBe(false);
    const written = writeGraphPageState(new URLSearchParams("namespaces=ambient-shop"), { ...DEFAULT_GRAPH_PAGE_STATE, waypoints: true });
    expect(written.toString()).toBe("namespaces=ambient-shop&waypoints=show");
    expect(readGraphPageState(written).waypoints).toBe(true);
    expect(readGraphPageState(new URLSearchParams("waypoints=yes")).waypoints).toBe(false);
  });
});
