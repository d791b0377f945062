/**
 * Enforcing STRICT mutual TLS for a namespace (the `default` PeerAuthentication, no selector) or a
 * workload (`<workload>-strict`, selecting its pods' labels), and rolling that back, through the
 * console's one write path (server/kube/writes.ts): a server-side dry run first, replaces and
 * deletes at the resourceVersion read, view-only refused, the same conflict wording.
 *
 * Before each change the console keeps the policy's previous spec (or `null`: there was none) in
 * the `mesh-console.io/previous-spec` annotation the traffic wizards use (server/routing/history.ts);
 * rollback restores that spec, or deletes the policy when the console created it.
 */
import { stringify } from "yaml";
import type { MtlsChangeRequest, MtlsChangeResponse } from "@/lib/api/mtls";
import { PEER_AUTHENTICATION, NAMESPACE_POLICY_NAME, strictSpec, workloadPolicyName, type PeerAuthentication } from "@/lib/istio/peerAuthentication";
import { assertNamespaceAccess } from "@/server/auth/namespaceAccess";
import { getConfig } from "@/server/config";
import { BadRequestError } from "@/server/http/errors";
import { kube, KubeError, type KubeClients } from "@/server/kube";
import { refuseInViewOnly, writeIstioObject, type IstioObject, type IstioWrite } from "@/server/kube/writes";
import { listServices, listWorkloads } from "@/server/mesh/objects";
import { PREVIOUS_SPEC_ANNOTATION, recordPreviousSpec } from "@/server/routing/history";
import { CREATED_BY_LABEL, CREATED_BY_VALUE, createdByConsole, withoutServerFields } from "@/server/routing/istioObjects";
import { listDestinationRules, namespacesToRead, previousPeerAuthenticationSpec, readPeerAuthentication } from "./mtlsObjects";
import { strictConflicts } from "./mtlsReadiness";

/** Pod labels Kubernetes adds per ReplicaSet; a selector on them would stop matching at the next rollout. */
const GENERATED_LABELS = new Set(["pod-template-hash", "controller-revision-hash", "pod-template-generation"]);

export interface MtlsChangeDeps {
  clients: KubeClients;
  viewOnly: boolean;
}

function yamlOf(object: PeerAuthentication | null | undefined): string | null {
  return object ? stringify(withoutServerFields(object as PeerAuthentication & { metadata: Record<string, unknown> }), { lineWidth: 0 }) : null;
}

async function workloadSelector(namespace: string, workload: string): Promise<Record<string, string>> {
  const found = (await listWorkloads([namespace])).find((candidate) => candidate.name === workload);
  if (!found) throw new KubeError("not-found", `There is no workload ${workload} in ${namespace}; reload the Security page`, 404);
  const selector = Object.fromEntries(Object.entries(found.labels).filter(([key]) => !GENERATED_LABELS.has(key)));
  if (Object.keys(selector).length === 0) throw new BadRequestError(`Workload ${namespace}/${workload} has no pod labels to select it by; enforce STRICT for the namespace instead`);
  return selector;
}

/** The policy after enforcing STRICT on `before` (or creating it), with the rollback annotation and the console's label. */
export function enforcedPolicy(before: PeerAuthentication | undefined, target: { namespace: string; name: string; selector?: Record<string, string> }): PeerAuthentication {
  const labels = { ...(before?.metadata.labels ?? {}), ...(before ? {} : { [CREATED_BY_LABEL]: CREATED_BY_VALUE }) };
  const after: PeerAuthentication = {
    ...(before ?? {}),
    apiVersion: before?.apiVersion ?? `${PEER_AUTHENTICATION.group}/${PEER_AUTHENTICATION.version}`,
    kind: "PeerAuthentication",
    metadata: { ...(before?.metadata ?? {}), name: target.name, namespace: target.namespace, labels },
    spec: strictSpec(target.selector),
  };
  recordPreviousSpec(after, before);
  return after;
}

/** The policy after rolling back: the previous spec without the annotation, or null (delete it). */
export function rolledBackPolicy(current: PeerAuthentication): PeerAuthentication | null {
  const previous = previousPeerAuthenticationSpec(current);
  const where = `PeerAuthentication ${current.metadata.namespace}/${current.metadata.name}`;
  if (!previous) throw new BadRequestError(`${where} holds no spec from before the console's change (annotation ${PREVIOUS_SPEC_ANNOTATION}); nothing to roll back to`);
  if (previous.kind === "none") {
    if (!createdByConsole(current)) throw new BadRequestError(`${where} was not created by the console (label ${CREATED_BY_LABEL}); the console will not delete it`);
    return null;
  }
  const annotations = { ...(current.metadata.annotations ?? {}) };
  delete annotations[PREVIOUS_SPEC_ANNOTATION];
  return { ...current, metadata: { ...current.metadata, annotations: Object.keys(annotations).length > 0 ? annotations : undefined }, spec: previous.spec };
}

function planWrite(namespace: string, name: string, before: PeerAuthentication | undefined, after: PeerAuthentication | null): IstioWrite | undefined {
  const target = { kind: "PeerAuthentication" as const, namespace };
  const resourceVersion = before?.metadata.resourceVersion ?? "";
  if (!before) return after ? { action: "create", ...target, object: withoutServerFields(after as IstioObject) } : undefined;
  if (!after) return { action: "delete", ...target, name, resourceVersion };
  if (JSON.stringify(withoutServerFields(before as IstioObject)) === JSON.stringify(withoutServerFields(after as IstioObject))) return undefined;
  return { action: "replace", ...target, name, object: withoutServerFields(after as IstioObject), resourceVersion };
}

export async function changeMtls(request: MtlsChangeRequest, deps: MtlsChangeDeps = { clients: kube(), viewOnly: getConfig().viewOnly }): Promise<MtlsChangeResponse> {
  refuseInViewOnly(deps.viewOnly);
  const { namespace, workload } = request;
  await assertNamespaceAccess(namespace);
  const name = workload ? workloadPolicyName(workload) : NAMESPACE_POLICY_NAME;
  const before = await readPeerAuthentication(deps.clients, namespace, name);
  let after: PeerAuthentication | null;
  if (request.action === "enforce") {
    after = enforcedPolicy(before, { namespace, name, selector: workload ? await workloadSelector(namespace, workload) : undefined });
    // Already STRICT as the console would write it: nothing to change (and the kept rollback stays).
    if (before && JSON.stringify(before.spec) === JSON.stringify(after.spec)) after = before;
  } else {
    if (!before) throw new KubeError("not-found", `There is no PeerAuthentication ${namespace}/${name} to roll back`, 404);
    after = rolledBackPolicy(before);
  }
  const write = planWrite(namespace, name, before, after);
  // The write path dry-runs first (admission and schema errors before anything is stored).
  if (write) await writeIstioObject(deps.clients, write, { dryRun: true });
  const stored = write && !request.dryRun ? await writeIstioObject(deps.clients, write, { dryRun: false }) : undefined;
  const readable = await namespacesToRead([]);
  const [services, rules] = await Promise.all([listServices([namespace]), Promise.all(readable.map(listDestinationRules))]);
  const selected = workload ? await workloadSelector(namespace, workload).catch(() => undefined) : undefined;
  const concerned = services
    .filter((service) => !selected || (Object.keys(service.selector).length > 0 && Object.entries(service.selector).every(([key, value]) => selected[key] === value)))
    .map((service) => ({ namespace: service.namespace, name: service.name, selector: service.selector }));
  return {
    action: write?.action ?? "unchanged",
    dryRun: request.dryRun,
    namespace,
    name,
    before: yamlOf(before),
    after: yamlOf(stored ? (stored as PeerAuthentication) : after),
    conflicts: request.action === "enforce" ? strictConflicts(rules.flat(), concerned) : [],
  };
}
