/**
 * Synthetic graph answers for browser benchmarks: shaped like /api/graph's, of any size.
 */
import { edgeId, nodeId, type GraphEdge, type GraphNode, type GraphResponse } from "@/lib/graph/model";

const EDGES_PER_NODE = 5;
const NODES_PER_NAMESPACE = 20;

/** A layered mesh of `nodeCount` workloads, 20 per namespace, each calling up to five later ones; `rateScale` multiplies every rate. */
export function syntheticGraph(nodeCount: number, rateScale: number): GraphResponse {
  const nodes: GraphNode[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const namespace = `ns-${Math.floor(i / NODES_PER_NAMESPACE)}`;
    const name = `svc-${i}`;
    const rps = (1 + (i % 7)) * rateScale;
    nodes.push({
      id: nodeId("workload", namespace, name, "v1"),
      kind: "workload",
      namespace,
      name,
      app: name,
      version: "v1",
      workload: `${name}-v1`,
      service: name,
      hasSidecar: true,
      isIdle: false,
      inboundRps: rps,
      outboundRps: rps,
      inboundErrorRps: 0,
      outboundErrorRps: 0,
      errorRate: 0,
      tcpInboundBytesPerSecond: 0,
      tcpOutboundBytesPerSecond: 0,
      health: "healthy",
    });
  }
  const edges: GraphEdge[] = [];
  // Each node calls a few "later" nodes, so the graph is layered the way meshes are.
  for (let i = 0; i < nodeCount; i++) {
    for (let k = 1; k <= EDGES_PER_NODE && edges.length < nodeCount * EDGES_PER_NODE; k++) {
      const j = (i * 7 + k * 13) % nodeCount;
      if (j <= i) continue;
      const source = nodes[i]!;
      const target = nodes[j]!;
      const rps = (0.5 + ((i + k) % 5)) * rateScale;
      edges.push({
        id: edgeId(source.id, target.id, "http"),
        source: source.id,
        target: target.id,
        protocol: "http",
        rps,
        errorRps: 0,
        errorRate: 0,
        responseClasses: { "2xx": 1, "3xx": 0, "4xx": 0, "5xx": 0, other: 0 },
        percentOfSource: 100 / EDGES_PER_NODE,
        configuredPercent: null,
        responseTime: null,
        tcpBytesPerSecond: 0,
        throughputBytesPerSecond: null,
        mtlsShare: null,
        health: "healthy",
      });
    }
  }
  const namespaces = [...new Set(nodes.map((node) => node.namespace))];
  return { timestamp: Date.now() / 1000, durationSeconds: 300, graphType: "workload", namespaces, queryCount: 5, usedRecordingRules: false, warnings: [], nodes, edges };
}
