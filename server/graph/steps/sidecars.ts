/**
 * Whether a node's pods run Istio's proxy. A node without one is a blind spot: its own calls are
 * reported only by their destinations, and it takes no part in mutual TLS. A node counts as having
 * a sidecar only when all its pods do. Services, external hosts and unknown sources have no pods;
 * the control plane (istiod, ztunnel) runs none by design (server/telemetry/systemWorkloads.ts):
 * for those the question does not apply (null), rather than a missing sidecar.
 */
import type { GraphNode } from "@/lib/graph/model";
import { appendTo } from "@/lib/listMap";
import { meshRoleOf } from "@/server/telemetry/systemWorkloads";
import type { InventoryPod } from "../inventory";
import type { TrafficMap } from "../trafficMap";

function podsOf(node: GraphNode, podsByNamespace: ReadonlyMap<string, InventoryPod[]>): InventoryPod[] {
  const inNamespace = podsByNamespace.get(node.namespace) ?? [];
  switch (node.kind) {
    case "workload":
    case "gateway":
      return inNamespace.filter((pod) => pod.workload === (node.workload ?? node.name));
    case "app":
      return inNamespace.filter((pod) => (pod.app ?? pod.workload) === node.name);
    case "versionedApp":
      return inNamespace.filter((pod) => (pod.app ?? pod.workload) === node.name && (node.version === null || pod.version === node.version));
    default:
      return [];
  }
}

export function appendSidecars(map: TrafficMap, pods: readonly InventoryPod[]): TrafficMap {
  const podsByNamespace = new Map<string, InventoryPod[]>();
  for (const pod of pods) appendTo(podsByNamespace, pod.namespace, pod);
  const nodes = new Map<string, GraphNode>();
  for (const [id, node] of map.nodes) {
    const own = podsOf(node, podsByNamespace);
    const controlPlane = own.length > 0 && own.every((pod) => meshRoleOf(pod.workload, pod.app ? { app: pod.app } : {}) === "control-plane");
    nodes.set(id, { ...node, hasSidecar: own.length === 0 || controlPlane ? null : own.every((pod) => pod.hasSidecar) });
  }
  return { ...map, nodes };
}
