/**
 * What Kubernetes knows about the graph's namespaces, fetched before the graph is built so the
 * building steps stay pure: workloads and services (for idle nodes) and pods (for sidecars).
 */
import { z } from "zod";
import type { RoutingObjects } from "./steps/configuredWeights";
import { kube, kubeCall } from "@/server/kube";
import { listServices, listWorkloads } from "@/server/mesh/objects";

export interface InventoryWorkload {
  namespace: string;
  name: string;
  app: string | null;
  version: string | null;
}

export interface InventoryService {
  namespace: string;
  name: string;
}

export interface InventoryPod {
  namespace: string;
  /** The workload Istio reports for the pod: its Deployment (owner ReplicaSet minus the template hash) or owner. */
  workload: string;
  app: string | null;
  version: string | null;
  hasSidecar: boolean;
}

export interface MeshInventory {
  workloads: InventoryWorkload[];
  services: InventoryService[];
  pods: InventoryPod[];
  /** VirtualServices and DestinationRules of the namespaces, for configured traffic splits. */
  routing?: RoutingObjects;
}

const podSchema = z.object({
  metadata: z.object({
    name: z.string(),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).nullish(),
    ownerReferences: z.array(z.object({ kind: z.string(), name: z.string() })).nullish(),
  }),
  spec: z
    .object({
      containers: z.array(z.object({ name: z.string() })).nullish(),
      initContainers: z.array(z.object({ name: z.string() })).nullish(),
    })
    .nullish(),
});

/** The proxy container Istio injects; native sidecars (Kubernetes 1.28+) put it among init containers. */
const PROXY_CONTAINER = "istio-proxy";

export function summarizePod(raw: unknown): InventoryPod {
  const pod = podSchema.parse(raw);
  const labels = pod.metadata.labels ?? {};
  const owner = pod.metadata.ownerReferences?.[0];
  const hash = labels["pod-template-hash"];
  let workload = owner?.name ?? pod.metadata.name;
  if (owner?.kind === "ReplicaSet" && hash && workload.endsWith(`-${hash}`)) workload = workload.slice(0, -hash.length - 1);
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return {
    namespace: pod.metadata.namespace ?? "",
    workload,
    app: labels.app ?? labels["service.istio.io/canonical-name"] ?? null,
    version: labels.version ?? labels["service.istio.io/canonical-revision"] ?? null,
    hasSidecar: containers.some((container) => container.name === PROXY_CONTAINER),
  };
}

async function listPods(namespaces: readonly string[]): Promise<InventoryPod[]> {
  const clients = kube();
  const lists = await Promise.all(
    namespaces.map(async (namespace) => (await kubeCall(clients, "list_pods", `list pods in ${namespace}`, () => clients.core.listNamespacedPod({ namespace }))).items),
  );
  return lists.flat().map(summarizePod);
}

async function listRouting(namespaces: readonly string[]): Promise<RoutingObjects> {
  const clients = kube();
  const list = async (plural: string) =>
    (
      await Promise.all(
        namespaces.map(async (namespace) => {
          const answer = (await kubeCall(clients, "list_istio", `list ${plural} in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ group: "networking.istio.io", version: "v1", plural, namespace }))) as { items?: unknown[] };
          return answer.items ?? [];
        }),
      )
    ).flat();
  const [virtualServices, destinationRules] = await Promise.all([list("virtualservices"), list("destinationrules")]);
  return { virtualServices, destinationRules };
}

export async function loadMeshInventory(namespaces: string[]): Promise<MeshInventory> {
  const [workloads, services, pods, routing] = await Promise.all([listWorkloads(namespaces), listServices(namespaces), listPods(namespaces), listRouting(namespaces)]);
  return {
    workloads: workloads.map(({ namespace, name, app, version }) => ({ namespace, name, app, version })),
    services: services.map(({ namespace, name }) => ({ namespace, name })),
    pods,
    routing,
  };
}

/** Pods and deployments change far less often than a graph refreshes; one answer serves every viewer for a few seconds. */
export const INVENTORY_TTL_MS = 10_000;
const inventories = new Map<string, { promise: Promise<MeshInventory>; at: number }>();

export function sharedMeshInventory(namespaces: string[], now: () => number = Date.now): Promise<MeshInventory> {
  const key = [...namespaces].sort().join(",");
  const cached = inventories.get(key);
  if (cached && now() - cached.at < INVENTORY_TTL_MS) return cached.promise;
  if (inventories.size > 200) inventories.clear();
  const promise = loadMeshInventory(namespaces);
  inventories.set(key, { promise, at: now() });
  promise.catch(() => {
    if (inventories.get(key)?.promise === promise) inventories.delete(key);
  });
  return promise;
}
