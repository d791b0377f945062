/**
 * Reads one Istio or Gateway API object as stored, for the config detail page, and parses the
 * `/<namespace>/<kind>/<name>` address the config pages and their API use. A cluster-scoped kind
 * (GatewayClass) is addressed with the segment `_cluster` in the namespace's place.
 */
import { z } from "zod";
import { CLUSTER_SCOPE_SEGMENT, ISTIO_KINDS, type IstioKind } from "@/lib/istioKinds";
import { isDns1123Label } from "@/lib/kubeNames";
import { kube, kubeCall } from "@/server/kube";

export function istioKindInfo(kind: string) {
  return ISTIO_KINDS.find((info) => info.kind === kind);
}

const kindSchema = z.enum(ISTIO_KINDS.map((info) => info.kind) as [IstioKind, ...IstioKind[]]);

/**
 * `{namespace, kind}` from the URL; the namespace comes out as "" for a cluster-scoped kind, which
 * must be addressed as `_cluster` (and a namespaced kind never is).
 */
export const configTargetSchema = z
  .object({ namespace: z.string(), kind: kindSchema })
  .superRefine((target, context) => {
    const namespaced = istioKindInfo(target.kind)?.namespaced ?? true;
    if (namespaced && !isDns1123Label(target.namespace)) {
      context.addIssue({ code: "custom", path: ["namespace"], message: "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters" });
    }
    if (!namespaced && target.namespace !== CLUSTER_SCOPE_SEGMENT) {
      context.addIssue({ code: "custom", path: ["namespace"], message: `${target.kind} is cluster-scoped: address it with ${CLUSTER_SCOPE_SEGMENT} in the namespace's place` });
    }
  })
  .transform((target) => ({ kind: target.kind, namespace: target.namespace === CLUSTER_SCOPE_SEGMENT ? "" : target.namespace }));

export async function readIstioObject(kind: IstioKind, namespace: string, name: string): Promise<unknown> {
  const info = istioKindInfo(kind);
  if (!info) throw new Error(`Not a kind the console reads: ${kind}`);
  const clients = kube();
  const coordinates = { group: info.group, version: info.version, plural: info.plural, name };
  const object = await kubeCall(clients, "get_istio", `read ${kind} ${namespace ? `${namespace}/` : ""}${name}`, () =>
    info.namespaced ? clients.custom.getNamespacedCustomObject({ ...coordinates, namespace }) : clients.custom.getClusterCustomObject(coordinates),
  );
  // managedFields is bookkeeping of the API server's field ownership; nobody reads it on a console.
  const { metadata, ...rest } = object as { metadata?: Record<string, unknown> };
  const { managedFields: _managedFields, ...shownMetadata } = metadata ?? {};
  return { ...rest, metadata: shownMetadata };
}
