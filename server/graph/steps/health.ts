/**
 * Node health from error rates (thresholds in lib/health.ts). A node is judged by the requests it
 * received; a node nobody calls (a gateway, a traffic generator) by the requests it sent, so a
 * caller whose calls fail is not shown green. TCP carries no error signal: moving bytes is healthy.
 */
import { healthFromErrorRate } from "@/lib/health";
import type { GraphNode } from "@/lib/graph/model";
import type { TrafficMap } from "../trafficMap";

function nodeHealth(node: GraphNode): Pick<GraphNode, "health" | "errorRate"> {
  if (node.inboundRps > 0) return { health: healthFromErrorRate(node.inboundRps, node.inboundErrorRps), errorRate: node.inboundErrorRps / node.inboundRps };
  if (node.outboundRps > 0) return { health: healthFromErrorRate(node.outboundRps, node.outboundErrorRps), errorRate: node.outboundErrorRps / node.outboundRps };
  if (node.tcpInboundBytesPerSecond > 0 || node.tcpOutboundBytesPerSecond > 0) return { health: "healthy", errorRate: 0 };
  return { health: "no-traffic", errorRate: 0 };
}

export function appendHealth(map: TrafficMap): TrafficMap {
  const nodes = new Map<string, GraphNode>();
  for (const [id, node] of map.nodes) nodes.set(id, { ...node, ...nodeHealth(node) });
  return { ...map, nodes };
}
