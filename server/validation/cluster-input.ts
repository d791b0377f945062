import { ApiextensionsV1Api, KubeConfig } from "@kubernetes/client-node";
import { createKubeClients } from "@/server/kube";
import { createObjectCaches, MESH_RESOURCES } from "@/server/kube/informers";

/**
 * `validate --cluster`: the objects the console's live validation reads, listed once from a cluster
 * through a kubeconfig, plus the Gateway API CRDs (for their bundle versions). Kinds the cluster does
 * not serve (no Gateway API CRDs installed) are simply absent, as they are to the console.
 */

export interface ClusterInput {
  readonly objects: unknown[];
  /** Resources the API server does not serve, e.g. `httproutes.gateway.networking.k8s.io/v1`. */
  readonly absent: string[];
  /** What could not be read but did not stop the run (e.g. no permission to list CRDs). */
  readonly notes: string[];
  readonly server: string;
}

export function loadClusterConfig(kubeconfigPath: string | undefined, context: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (kubeconfigPath) kubeConfig.loadFromFile(kubeconfigPath);
  else kubeConfig.loadFromDefault();
  if (context) {
    if (!kubeConfig.getContextObject(context)) throw new Error(`the kubeconfig has no context "${context}"; it has ${kubeConfig.getContexts().map((c) => c.name).join(", ") || "none"}`);
    kubeConfig.setCurrentContext(context);
  }
  if (!kubeConfig.getCurrentCluster()) throw new Error(`the kubeconfig's current context "${kubeConfig.getCurrentContext()}" names no cluster`);
  return kubeConfig;
}

const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

export async function readClusterObjects(kubeConfig: KubeConfig, timeoutMs = 30_000): Promise<ClusterInput> {
  const clients = createKubeClients(kubeConfig, timeoutMs);
  const caches = createObjectCaches(clients, MESH_RESOURCES, { backoffMs: 500, maxBackoffMs: 2000 });
  try {
    await caches.ready(timeoutMs);
    const objects: unknown[] = MESH_RESOURCES.flatMap((resource) => [...caches.list(resource)]);
    const absent = caches
      .status()
      .filter((status) => status.absent)
      .map((status) => status.resource);
    const notes: string[] = [];
    try {
      const crds = await kubeConfig.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition();
      for (const crd of crds.items) {
        if (crd.spec.group === GATEWAY_API_GROUP) objects.push({ ...crd, apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" });
      }
    } catch (error) {
      notes.push(`CustomResourceDefinitions not read (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); Gateway API CRD versions not checked`);
    }
    return { objects, absent, notes, server: clients.apiServer };
  } finally {
    await caches.stop();
  }
}
