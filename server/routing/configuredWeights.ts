/**
 * Configured traffic splits for other parts of the console (the graph's "configured 20 % /
 * observed 19.6 %" edge labels): which share of a service's requests its VirtualService sends
 * to each subset, by the same rules the traffic-shifting wizard reads and writes them.
 */
import { kubeCall, type KubeClients } from "@/server/kube";
import { VIRTUAL_SERVICE, virtualServiceSchema, type VirtualService } from "./istioObjects";
import { configuredWeights, findServiceVirtualService } from "./virtualService";

/** From VirtualService objects already at hand (an informer cache): subset → percent, or null when the service is not split by subset. */
export function configuredSplit(virtualServices: readonly unknown[], namespace: string, service: string): Record<string, number> | null {
  const parsed: VirtualService[] = [];
  for (const item of virtualServices) {
    const result = virtualServiceSchema.safeParse(item);
    if (result.success) parsed.push(result.data);
  }
  const ref = { namespace, service };
  return configuredWeights(findServiceVirtualService(parsed, ref), ref);
}

/** The same, reading the namespace's VirtualServices from the API server. */
export async function readConfiguredSplit(clients: KubeClients, namespace: string, service: string): Promise<Record<string, number> | null> {
  const list = (await kubeCall(clients, "list_istio", `list virtualservices in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ ...VIRTUAL_SERVICE, namespace }))) as { items?: unknown[] };
  return configuredSplit(list.items ?? [], namespace, service);
}
