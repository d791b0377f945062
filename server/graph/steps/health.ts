/**
 * Node and edge health by the health rules (lib/health.ts) that judge each node: the console's
 * setting and the annotations of its namespace and of its Service or Deployment
 * (server/telemetry/healthThresholds.ts). A node is judged by the requests it received; a node
 * nobody calls (a gateway, a traffic generator) by the requests it sent, so a caller whose calls
 * fail is not shown green. An edge is judged by its target's rules. TCP carries no error signal:
 * moving bytes is healthy. `errorRate` is the share of failed requests whatever the rules.
 */
import { healthFromResponses, type HealthRule } from "@/lib/health";
import type { GraphEdge, GraphNode } from "@/lib/graph/model";
import { DEFAULT_HEALTH_SETTINGS, healthRulesFor, type HealthSettings, type HealthTargetKind } from "@/server/telemetry/healthThresholds";
import type { TrafficMap } from "../trafficMap";

/** Whose rules judge a node: a Service's, a Deployment's (workloads, gateways), else its namespace's. */
function ruleTarget(node: GraphNode): { kind: HealthTargetKind; name: string } {
  switch (node.kind) {
    case "service":
      return { kind: "service", name: node.name };
    case "workload":
    case "gateway":
      return { kind: "workload", name: node.workload ?? node.name };
    default:
      return { kind: "app", name: node.name };
  }
}

export function appendHealth(map: TrafficMap, settings: HealthSettings = DEFAULT_HEALTH_SETTINGS): TrafficMap {
  const notes = new Set<string>();
  const rulesById = new Map<string, HealthRule[]>();
  for (const [id, node] of map.nodes) {
    const target = ruleTarget(node);
    const judgedBy = healthRulesFor(settings, target.kind, node.namespace, target.name);
    for (const note of judgedBy.notes) notes.add(note);
    rulesById.set(id, judgedBy.rules);
  }

  const nodes = new Map<string, GraphNode>();
  for (const [id, node] of map.nodes) {
    const rules = rulesById.get(id);
    const tcp = node.tcpInboundBytesPerSecond + node.tcpOutboundBytesPerSecond;
    const received = node.inboundRps > 0;
    const judged = healthFromResponses((received ? map.responses.inbound.get(id) : map.responses.outbound.get(id)) ?? [], tcp, rules);
    const errorRate = judged.requestsPerSecond > 0 ? judged.failedPerSecond / judged.requestsPerSecond : 0;
    nodes.set(id, { ...node, health: judged.health, errorRate });
  }
  const edges = new Map<string, GraphEdge>();
  for (const [id, edge] of map.edges) {
    const judged = healthFromResponses(map.responses.edges.get(id) ?? [], edge.tcpBytesPerSecond, rulesById.get(edge.target));
    edges.set(id, { ...edge, health: judged.health });
  }
  return { ...map, nodes, edges, notes: [...(map.notes ?? []), ...notes] };
}
