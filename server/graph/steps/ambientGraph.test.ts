import { describe, expect, it } from "vitest";
import type { GraphResponse } from "@/lib/graph/model";
import { nodeId } from "@/lib/graph/model";
import { foldWaypoints } from "@/lib/graph/waypoints";
import { buildTrafficMap, waypointWorkloadsOf, withoutWaypointHops } from "../trafficMap";
import { requestSample, tcpSample, type Workload } from "../testing/bookinfoSamples";

// The demo's ambient namespace: shop-web (ambient) and buyer (sidecar, another namespace) call cart
// through the waypoint, whose HTTPRoute sends 90/10 to the version Services cart-v1 and cart-v2.
const shopWeb: Workload = { namespace: "ambient-shop", workload: "shop-web", app: "shop-web", version: "v1" };
const buyer: Workload = { namespace: "shop-clients", workload: "buyer", app: "buyer", version: "v1" };
const waypoint: Workload = { namespace: "ambient-shop", workload: "waypoint", app: "waypoint", version: "latest" };
const cartV1: Workload = { namespace: "ambient-shop", workload: "cart-v1", app: "cart", version: "v1" };
const cartV2: Workload = { namespace: "ambient-shop", workload: "cart-v2", app: "cart", version: "v2" };

const waypointWorkloads = waypointWorkloadsOf(
  [
    { namespace: "ambient-shop", name: "waypoint", labels: { "gateway.networking.k8s.io/gateway-name": "waypoint", "istio.io/gateway-name": "waypoint" } },
    { namespace: "ambient-shop", name: "cart-v1", labels: { app: "cart", version: "v1" } },
  ],
  new Set(["ambient-shop/waypoint"]),
);

const requests = [
  // The waypoint's reports (reporter="waypoint"): the client and the backend its route chose.
  requestSample(shopWeb, cartV1, "cart-v1", 9),
  requestSample(shopWeb, cartV2, "cart-v2", 0.5),
  requestSample(shopWeb, cartV2, "cart-v2", 0.5, { code: "503", flags: "UF" }),
  requestSample(buyer, cartV1, "cart-v1", 4.5),
  requestSample(buyer, cartV2, "cart-v2", 0.5),
  // buyer's sidecar reports the same 5 requests again, as its hop to the waypoint.
  requestSample(buyer, waypoint, "cart", 5),
];
// ztunnel's L4 view: the client's connection to the waypoint, named by the Service it called.
const tcpBytes = [tcpSample(shopWeb, waypoint, "cart", 4000)];

function asGraph(): GraphResponse {
  const map = buildTrafficMap({ requests: withoutWaypointHops(requests, waypointWorkloads), tcpBytes }, "versionedApp", { waypointWorkloads });
  return { timestamp: 0, durationSeconds: 60, graphType: "versionedApp", namespaces: ["ambient-shop"], queryCount: 2, usedRecordingRules: false, warnings: [], nodes: [...map.nodes.values()], edges: [...map.edges.values()] };
}

describe("ambient traffic on the graph", () => {
  it("knows the waypoint by the class of its Gateway, not by its name", () => {
    expect([...waypointWorkloads]).toEqual(["ambient-shop/waypoint"]);
  });

  it("counts a sidecar caller's requests through a waypoint once, with the backends the waypoint chose", () => {
    const graph = asGraph();
    const buyerNode = graph.nodes.find((node) => node.id === nodeId("versionedApp", "shop-clients", "buyer", "v1"));
    expect(buyerNode?.outboundRps).toBeCloseTo(5);
    const v2 = graph.edges.find((edge) => edge.source === nodeId("service", "ambient-shop", "cart-v2") && edge.target === nodeId("versionedApp", "ambient-shop", "cart", "v2"));
    expect(v2?.rps).toBeCloseTo(1.5);
    expect(v2?.errorRps).toBeCloseTo(0.5);
    // No request edge ends at the waypoint: its L7 work is on the edges to the backends.
    expect(graph.edges.filter((edge) => edge.target === nodeId("gateway", "ambient-shop", "waypoint") && edge.rps > 0)).toEqual([]);
  });

  it("draws the waypoint as a marked gateway with ztunnel's bytes to it, and folds it into the caller's edge", () => {
    const shown = asGraph();
    const waypointNode = shown.nodes.find((node) => node.id === nodeId("gateway", "ambient-shop", "waypoint"));
    expect(waypointNode?.isWaypoint).toBe(true);
    expect(shown.edges.some((edge) => edge.target === waypointNode?.id && edge.protocol === "tcp" && edge.tcpBytesPerSecond === 4000)).toBe(true);

    const folded = foldWaypoints(shown);
    expect(folded.nodes.some((node) => node.isWaypoint)).toBe(false);
    expect(folded.edges.some((edge) => edge.source === waypointNode?.id || edge.target === waypointNode?.id)).toBe(false);
    // The caller still connects to the service it called, bytes and all.
    const l4 = folded.edges.find((edge) => edge.source === nodeId("versionedApp", "ambient-shop", "shop-web", "v1") && edge.target === nodeId("service", "ambient-shop", "cart") && edge.protocol === "tcp");
    expect(l4?.tcpBytesPerSecond).toBe(4000);
    // The service no longer sends the bytes on to a node that is not drawn.
    expect(folded.nodes.find((node) => node.id === nodeId("service", "ambient-shop", "cart"))?.tcpOutboundBytesPerSecond).toBe(0);
  });
});
