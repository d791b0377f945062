/**
 * Reading the objects mTLS readiness needs, with the person's own Kubernetes identity (kube()):
 * PeerAuthentications, DestinationRules, and the console's own STRICT policies with what rollback
 * would restore.
 */
import { PEER_AUTHENTICATION, peerAuthenticationSchema, type PeerAuthentication } from "@/lib/istio/peerAuthentication";
import { DESTINATION_RULE } from "@/lib/istio/destinationRule";
import type { ConsolePolicy } from "@/lib/api/mtls";
import type { IstioKindInfo } from "@/lib/istioKinds";
import { authorizedNamespaces } from "@/server/auth/namespaceAccess";
import { listNamespaces } from "@/server/mesh/namespaces";
import { kube, kubeCall, KubeError, type KubeClients } from "@/server/kube";
import { createdByConsole } from "@/server/routing/istioObjects";
import { readPreviousSpec, type PreviousSpec } from "@/server/routing/history";

export async function listIstio(info: IstioKindInfo, namespace: string, clients: KubeClients = kube()): Promise<unknown[]> {
  const { group, version, plural } = info;
  const answer = (await kubeCall(clients, "list_istio", `list ${plural}.${group} in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ group, version, plural, namespace }))) as { items?: unknown[] };
  // List items carry no kind of their own; the list's kind says what they are.
  return (answer.items ?? []).map((item) => ({ ...(item as object), kind: info.kind }));
}

/**
 * The namespaces to read for `requested` (empty = every namespace the person may read): the
 * access check answers "empty" when everything is allowed, so the names are then listed.
 */
export async function namespacesToRead(requested: readonly string[]): Promise<string[]> {
  const allowed = await authorizedNamespaces(requested);
  return allowed.length > 0 || requested.length > 0 ? allowed : (await listNamespaces()).map((namespace) => namespace.name);
}

export const listPeerAuthentications = (namespace: string) => listIstio(PEER_AUTHENTICATION, namespace);
export const listDestinationRules = (namespace: string) => listIstio(DESTINATION_RULE, namespace);

/** One PeerAuthentication as written, or undefined when there is none of that name. */
export async function readPeerAuthentication(clients: KubeClients, namespace: string, name: string): Promise<PeerAuthentication | undefined> {
  const { group, version, plural } = PEER_AUTHENTICATION;
  try {
    const raw = await kubeCall(clients, "get_istio", `read PeerAuthentication ${namespace}/${name}`, () => clients.custom.getNamespacedCustomObject({ group, version, plural, namespace, name }));
    return peerAuthenticationSchema.parse(raw);
  } catch (error) {
    if (error instanceof KubeError && error.failure === "not-found") return undefined;
    throw error;
  }
}

/**
 * What rollback restores, from the annotation the console writes before each change (the same
 * annotation the traffic wizards keep, server/routing/history.ts): a spec, or "none" (the console
 * created the policy; rollback deletes it). Undefined: nothing to roll back to.
 */
export function previousPeerAuthenticationSpec(policy: PeerAuthentication | undefined): PreviousSpec<PeerAuthentication["spec"]> | undefined {
  const previous = readPreviousSpec<unknown>(policy);
  if (previous?.kind !== "spec") return previous;
  // The annotation can be edited by hand: only a spec that parses is restored.
  const spec = peerAuthenticationSchema.shape.spec.safeParse(previous.spec);
  return spec.success ? { kind: "spec", spec: spec.data } : undefined;
}

export function consolePolicyOf(raw: unknown): ConsolePolicy | null {
  const parsed = peerAuthenticationSchema.safeParse(raw);
  if (!parsed.success) return null;
  const policy = parsed.data;
  return {
    namespace: policy.metadata.namespace ?? "",
    name: policy.metadata.name,
    mode: policy.spec.mtls?.mode ?? null,
    createdByConsole: createdByConsole(policy),
    rollbackAvailable: previousPeerAuthenticationSpec(policy) !== undefined,
  };
}
