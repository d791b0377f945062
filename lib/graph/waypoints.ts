/**
 * Ambient waypoints on the graph, shown as nodes or folded into their edges (Kiali's "waypoints"
 * display option; folded unless the page asks, as in Kiali). A waypoint's request reports already
 * name the caller and the backend its route chose, so the L7 edges never pass through it
 * (server/telemetry/traffic.ts); what passes through it is ztunnel's L4 view: the caller's
 * connection to the waypoint, and the waypoint's onward connection. Folding drops the waypoint
 * node and those hops and takes their figures off the nodes at their other ends, so what remains
 * reads as the caller calling the service, counted once.
 */
import type { GraphEdge, GraphNode, GraphResponse } from "./model";

export function foldWaypoints(graph: GraphResponse): GraphResponse {
  const waypoints = new Set(graph.nodes.filter((node) => node.isWaypoint).map((node) => node.id));
  if (waypoints.size === 0) return graph;
  const removed = graph.edges.filter((edge) => waypoints.has(edge.source) || waypoints.has(edge.target));
  const kept = graph.edges.filter((edge) => !waypoints.has(edge.source) && !waypoints.has(edge.target));
  const adjusted = new Map<string, GraphNode>(graph.nodes.filter((node) => !waypoints.has(node.id)).map((node) => [node.id, { ...node }]));
  const takeOff = (edge: GraphEdge) => {
    const source = adjusted.get(edge.source);
    if (source) {
      source.outboundRps = Math.max(0, source.outboundRps - edge.rps);
      source.outboundErrorRps = Math.max(0, source.outboundErrorRps - edge.errorRps);
      source.tcpOutboundBytesPerSecond = Math.max(0, source.tcpOutboundBytesPerSecond - edge.tcpBytesPerSecond);
    }
    const target = adjusted.get(edge.target);
    if (target) {
      target.inboundRps = Math.max(0, target.inboundRps - edge.rps);
      target.inboundErrorRps = Math.max(0, target.inboundErrorRps - edge.errorRps);
      target.tcpInboundBytesPerSecond = Math.max(0, target.tcpInboundBytesPerSecond - edge.tcpBytesPerSecond);
    }
  };
  removed.forEach(takeOff);
  // A node that was drawn only as a hop beside the waypoint (the waypoint's onward service) goes with it.
  const touched = new Set(removed.flatMap((edge) => [edge.source, edge.target]));
  const connected = new Set(kept.flatMap((edge) => [edge.source, edge.target]));
  const nodes = [...adjusted.values()].filter((node) => !touched.has(node.id) || connected.has(node.id) || node.isIdle);
  return { ...graph, nodes, edges: kept };
}
