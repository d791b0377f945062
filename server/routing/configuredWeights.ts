/**
 * Configured traffic splits for other parts of the console (the graph's "configured 20 % /
 * observed 19.6 %" edge labels): which share of a service's requests its VirtualService sends
 * to each subset, by the same rules the traffic-shifting wizard reads and writes them.
 */
import { indexByServiceHost, type ServiceRef } from "@/lib/istio/host";
import { onceParsed } from "@/lib/onceParsed";
import { kubeCall, type KubeClients } from "@/server/kube";
import { VIRTUAL_SERVICE, virtualServiceSchema, type VirtualService } from "./istioObjects";
import { configuredWeights, findServiceVirtualService } from "./virtualService";

const parseVirtualService = onceParsed(virtualServiceSchema);

/** VirtualServices that parse; one malformed object must not hide the others' splits. */
function parsedVirtualServices(virtualServices: readonly unknown[]): VirtualService[] {
  return virtualServices.flatMap((item) => {
    const result = parseVirtualService(item);
    return result.success ? [result.data] : [];
  });
}

/**
 * Splits of many services from one set of VirtualServices (the graph asks for every service it
 * draws): the objects are parsed and indexed by host once, not once per service.
 */
export function configuredSplits(virtualServices: readonly unknown[]): (ref: ServiceRef) => Record<string, number> | null {
  const candidates = indexByServiceHost(parsedVirtualServices(virtualServices), (vs) => ({ namespace: vs.metadata.namespace, hosts: vs.spec.hosts ?? [] }));
  return (ref) => configuredWeights(findServiceVirtualService(candidates(ref), ref), ref);
}

/** From VirtualService objects already at hand (an informer cache): subset → percent, or null when the service is not split by subset. */
export function configuredSplit(virtualServices: readonly unknown[], namespace: string, service: string): Record<string, number> | null {
  const ref = { namespace, service };
  return configuredWeights(findServiceVirtualService(parsedVirtualServices(virtualServices), ref), ref);
}

/** The same, reading the namespace's VirtualServices from the API server. */
export async function readConfiguredSplit(clients: KubeClients, namespace: string, service: string): Promise<Record<string, number> | null> {
  const list = (await kubeCall(clients, "list_istio", `list virtualservices in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ ...VIRTUAL_SERVICE, namespace }))) as { items?: unknown[] };
  return configuredSplit(list.items ?? [], namespace, service);
}
