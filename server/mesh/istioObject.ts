/**
 * Reads one Istio object as stored, for the config detail page.
 */
import { ISTIO_KINDS, type IstioKind } from "@/lib/istioKinds";
import { kube, kubeCall } from "@/server/kube";

export function istioKindInfo(kind: string) {
  return ISTIO_KINDS.find((info) => info.kind === kind);
}

export async function readIstioObject(kind: IstioKind, namespace: string, name: string): Promise<unknown> {
  const info = istioKindInfo(kind);
  if (!info) throw new Error(`Not an Istio kind the console reads: ${kind}`);
  const clients = kube();
  const object = await kubeCall(clients, "get_istio", `read ${kind} ${namespace}/${name}`, () =>
    clients.custom.getNamespacedCustomObject({ group: info.group, version: info.version, plural: info.plural, namespace, name }),
  );
  // managedFields is bookkeeping of the API server's field ownership; nobody reads it on a console.
  const { metadata, ...rest } = object as { metadata?: Record<string, unknown> };
  const { managedFields: _managedFields, ...shownMetadata } = metadata ?? {};
  return { ...rest, metadata: shownMetadata };
}
