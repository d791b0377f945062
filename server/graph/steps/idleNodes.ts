/**
 * Workloads and services Kubernetes knows in the selected namespaces but that had no traffic in the
 * window, added as idle nodes when the user asks for them: a deployed service nobody calls is
 * often the thing being looked for.
 */
import { nodeId, type GraphNode } from "@/lib/graph/model";
import type { MeshInventory } from "../inventory";
import { emptyNode, type TrafficMap } from "../trafficMap";

type Seed = Pick<GraphNode, "kind" | "namespace" | "name" | "app" | "version" | "workload" | "service">;

function idleNode(seed: Seed): GraphNode {
  return { ...emptyNode({ ...seed, id: nodeId(seed.kind, seed.namespace, seed.name, seed.kind === "versionedApp" ? seed.version : null) }), isIdle: true };
}

function seedsFor(map: TrafficMap, inventory: MeshInventory): Seed[] {
  const seeds: Seed[] = [];
  const graphType = map.context.graphType;
  // Every graph type draws service nodes (the non-service graphs put them in front of workloads).
  for (const service of inventory.services) seeds.push({ kind: "service", namespace: service.namespace, name: service.name, app: null, version: null, workload: null, service: service.name });
  if (graphType === "service") return seeds;
  for (const workload of inventory.workloads) {
    const app = workload.app ?? workload.name;
    if (graphType === "workload") seeds.push({ kind: "workload", namespace: workload.namespace, name: workload.name, app, version: workload.version, workload: workload.name, service: null });
    else if (graphType === "versionedApp") seeds.push({ kind: "versionedApp", namespace: workload.namespace, name: app, app, version: workload.version, workload: null, service: null });
    else seeds.push({ kind: "app", namespace: workload.namespace, name: app, app, version: null, workload: null, service: null });
  }
  return seeds;
}

export function appendIdleNodes(map: TrafficMap, inventory: MeshInventory): TrafficMap {
  const nodes = new Map(map.nodes);
  // A node already drawn (a gateway, say) under another kind is not added again as idle.
  const drawn = new Set([...map.nodes.values()].map((node) => `${node.namespace}/${node.workload ?? node.name}`));
  for (const seed of seedsFor(map, inventory)) {
    const node = idleNode(seed);
    if (nodes.has(node.id) || (seed.workload && drawn.has(`${seed.namespace}/${seed.workload}`))) continue;
    nodes.set(node.id, node);
  }
  return { ...map, nodes };
}
