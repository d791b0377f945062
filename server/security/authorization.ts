/**
 * AuthorizationPolicy from observed traffic, server side: what the workload received in the window
 * (its own proxy's reports), the policies in force, the proposal (authorizationProposal.ts), and the
 * console's one policy per workload applied or rolled back through the one write path
 * (server/kube/writes.ts: dry run first, resourceVersion on replace and delete, view-only refusal).
 *
 * The policy the console writes is labelled `mesh-console.io/created-by` and keeps the spec it
 * replaced in `mesh-console.io/previous-spec` (server/routing/history.ts), so rollback restores that
 * spec, or deletes the policy when the console created it.
 */
import { z } from "zod";
import { AUTHORIZATION_POLICY, authorizationPolicySchema, type AuthorizationPolicy } from "@/lib/istio/authorizationPolicy";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import type { AuthorizationChange, AuthorizationChangeResult, AuthorizationGranularity, AuthorizationState } from "@/lib/api/security";
import { durationSeconds, type TimeWindow } from "@/lib/timeWindows";
import { assertNamespaceAccess } from "@/server/auth/namespaceAccess";
import { BadRequestError } from "@/server/http/errors";
import { kubeCall, KubeError, type KubeClients } from "@/server/kube";
import { changedBySomeoneElse, VIEW_ONLY_MESSAGE, refuseInViewOnly, writeIstioObject, type IstioObject } from "@/server/kube/writes";
import type { PrometheusClient } from "@/server/prometheus/client";
import { selectorMatches } from "@/server/mesh/pods";
import { readPreviousSpec, recordPreviousSpec, PREVIOUS_SPEC_ANNOTATION } from "@/server/routing/history";
import { clone, createdByConsole, withoutServerFields } from "@/server/routing/istioObjects";
import { evaluationTime, rateOver, sharedMetricNames, sumBy, targetMatchers, type TelemetryMetricNames } from "@/server/telemetry";
import { buildAllowPolicy, policyYaml, proposeAuthorizationPolicy, proposedPolicyName, type ObservedCaller, type ProposalInput } from "./authorizationProposal";

export interface AuthorizationDeps {
  readonly clients: KubeClients;
  readonly prometheus: PrometheusClient;
  readonly viewOnly: boolean;
  readonly metrics?: TelemetryMetricNames;
}

export interface AuthorizationQuery {
  readonly namespace: string;
  readonly workload: string;
  readonly window: TimeWindow;
  readonly granularity: AuthorizationGranularity;
}

const CALLER_LABELS = ["source_principal", "source_workload", "source_workload_namespace", "request_protocol"];

/**
 * The workload's inbound requests as its own proxy reported them (`reporter="destination"`): that
 * proxy enforces authorization, and the peer identity it reports (`source_principal`) is the one
 * policies match. Pinned to the workload's namespace by `destination_workload_namespace`.
 */
export function observedCallersQuery(namespace: string, workload: string, seconds: number, metrics: TelemetryMetricNames): string {
  const scope = [{ label: "reporter", equals: "destination" }, ...targetMatchers({ kind: "workload", namespace, name: workload }, "inbound")];
  return sumBy(CALLER_LABELS, rateOver(metrics.requests, [scope], seconds));
}

export function observedCallersOf(samples: readonly { metric: Record<string, string>; value: [number, string] }[], seconds: number): ObservedCaller[] {
  return samples
    .map((sample) => ({
      sourcePrincipal: sample.metric.source_principal ?? "unknown",
      sourceWorkload: sample.metric.source_workload ?? "unknown",
      sourceNamespace: sample.metric.source_workload_namespace ?? "unknown",
      protocol: sample.metric.request_protocol ?? "",
      requests: Number(sample.value[1]) * seconds,
    }))
    .filter((caller) => Number.isFinite(caller.requests) && caller.requests > 0);
}

const deploymentSchema = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string().optional() }),
  spec: z.object({ selector: z.object({ matchLabels: z.record(z.string(), z.string()).optional() }), template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()).optional() }).optional() }) }),
});

async function readWorkload(clients: KubeClients, namespace: string, name: string): Promise<ProposalInput["workload"]> {
  const [raw, services] = await Promise.all([
    kubeCall(clients, "read_deployment", `read deployment ${namespace}/${name}`, () => clients.apps.readNamespacedDeployment({ namespace, name })),
    kubeCall(clients, "list_services", `list services in ${namespace}`, () => clients.core.listNamespacedService({ namespace })),
  ]);
  const deployment = deploymentSchema.parse(raw);
  const labels = deployment.spec.template.metadata?.labels ?? {};
  const selector = deployment.spec.selector.matchLabels ?? {};
  if (Object.keys(selector).length === 0) throw new BadRequestError(`Deployment ${namespace}/${name} selects its pods by expressions only; an AuthorizationPolicy selector needs matchLabels`, 422);
  const ownServices = services.items.filter((service) => service.spec?.selector && selectorMatches(service.spec.selector, labels)).map((service) => service.metadata?.name ?? "");
  return { namespace, name, labels, selector, services: ownServices };
}

async function listPolicies(clients: KubeClients, namespace: string): Promise<unknown[]> {
  const { group, version, plural } = AUTHORIZATION_POLICY;
  const answer = await kubeCall(clients, "list_istio", `list ${plural}.${group} in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ group, version, plural, namespace }));
  // List items carry no kind of their own.
  return ((answer as { items?: unknown[] }).items ?? []).map((item) => ({ ...(item as object), kind: "AuthorizationPolicy" }));
}

/** The workload's namespace's policies and the root namespace's (mesh-wide); the latter may be unreadable for this person. */
async function policiesInForce(clients: KubeClients, namespace: string): Promise<{ policies: unknown[]; notes: string[] }> {
  const own = await listPolicies(clients, namespace);
  if (namespace === MESH_ROOT_NAMESPACE) return { policies: own, notes: [] };
  try {
    return { policies: [...own, ...(await listPolicies(clients, MESH_ROOT_NAMESPACE))], notes: [] };
  } catch (error) {
    if (!(error instanceof KubeError) || (error.failure !== "forbidden" && error.failure !== "unauthorized")) throw error;
    return { policies: own, notes: [`Your account may not read AuthorizationPolicies in ${MESH_ROOT_NAMESPACE}: mesh-wide policies are not part of this preview.`] };
  }
}

async function readConsolePolicy(clients: KubeClients, namespace: string, workload: string): Promise<AuthorizationPolicy | undefined> {
  const { group, version, plural } = AUTHORIZATION_POLICY;
  const name = proposedPolicyName(workload);
  try {
    const raw = await kubeCall(clients, "read_istio", `read AuthorizationPolicy ${namespace}/${name}`, () => clients.custom.getNamespacedCustomObject({ group, version, plural, namespace, name }));
    return authorizationPolicySchema.parse({ ...(raw as object), kind: "AuthorizationPolicy" });
  } catch (error) {
    if (error instanceof KubeError && error.failure === "not-found") return undefined;
    throw error;
  }
}

function yamlOf(policy: AuthorizationPolicy | undefined | null): string | null {
  return policy ? policyYaml(withoutServerFields(policy)) : null;
}

/** GET: the proposal from the window's callers, with its preview, and the console's policy as it stands. */
export async function authorizationState(deps: AuthorizationDeps, query: AuthorizationQuery): Promise<AuthorizationState> {
  await assertNamespaceAccess(query.namespace);
  const seconds = durationSeconds(query.window) ?? 300;
  const metrics = deps.metrics ?? (await sharedMetricNames());
  const [workload, inForce, samples] = await Promise.all([
    readWorkload(deps.clients, query.namespace, query.workload),
    policiesInForce(deps.clients, query.namespace),
    deps.prometheus.instant(observedCallersQuery(query.namespace, query.workload, seconds, metrics), evaluationTime()),
  ]);
  const proposal = proposeAuthorizationPolicy({ workload, granularity: query.granularity, windowSeconds: seconds, observed: observedCallersOf(samples, seconds), policies: inForce.policies });
  const current = inForce.policies.map((policy) => authorizationPolicySchema.safeParse(policy)).find((parsed) => parsed.success && parsed.data.metadata.name === proposal.policy.metadata.name && parsed.data.metadata.namespace === query.namespace);
  const currentPolicy = current?.success ? current.data : undefined;
  return {
    proposal: { ...proposal, notes: [...proposal.notes, ...inForce.notes] },
    current: currentPolicy
      ? { name: currentPolicy.metadata.name, resourceVersion: currentPolicy.metadata.resourceVersion ?? "", yaml: yamlOf(currentPolicy) ?? "", rollbackAvailable: createdByConsole(currentPolicy) }
      : null,
    canWrite: !deps.viewOnly,
    ...(deps.viewOnly ? { reason: VIEW_ONLY_MESSAGE } : {}),
  };
}

type Plan = { action: AuthorizationChangeResult["action"]; before: AuthorizationPolicy | undefined; after: AuthorizationPolicy | null };

/** What apply writes: the proposal for the sources previewed, keeping the spec it replaces for rollback. */
function planApply(existing: AuthorizationPolicy | undefined, workload: ProposalInput["workload"], change: Extract<AuthorizationChange, { action: "apply" }>): Plan {
  const next = buildAllowPolicy(workload, change.granularity, change.sources);
  if (existing) {
    next.metadata = { ...clone(existing.metadata), labels: { ...existing.metadata.labels, ...next.metadata.labels } };
  }
  recordPreviousSpec(next, existing);
  return { action: existing ? "replace" : "create", before: existing, after: next };
}

/** What rollback writes: the spec the console replaced, or nothing (delete) when the console created the policy. */
function planRollback(existing: AuthorizationPolicy): Plan {
  const previous = readPreviousSpec<AuthorizationPolicy["spec"]>(existing);
  if (!previous || previous.kind === "none") return { action: "delete", before: existing, after: null };
  const restored = clone(existing);
  restored.spec = clone(previous.spec);
  const annotations = { ...restored.metadata.annotations };
  delete annotations[PREVIOUS_SPEC_ANNOTATION];
  restored.metadata.annotations = Object.keys(annotations).length > 0 ? annotations : undefined;
  return { action: "replace", before: existing, after: restored };
}

function checkVersion(existing: AuthorizationPolicy | undefined, resourceVersion: string | undefined, ref: { namespace: string; name: string }): void {
  const what = { kind: "AuthorizationPolicy", ...ref };
  if (existing && resourceVersion === undefined) throw changedBySomeoneElse(what, "created");
  if (!existing && resourceVersion !== undefined) throw changedBySomeoneElse(what, "deleted");
  if (existing && existing.metadata.resourceVersion !== resourceVersion) throw changedBySomeoneElse(what, "changed");
}

async function write(clients: KubeClients, plan: Plan, namespace: string, name: string, dryRun: boolean): Promise<void> {
  const target = { kind: "AuthorizationPolicy" as const, namespace, name };
  const resourceVersion = plan.before?.metadata.resourceVersion ?? "";
  if (plan.action === "create") await writeIstioObject(clients, { action: "create", ...target, object: withoutServerFields(plan.after!) as IstioObject }, { dryRun });
  if (plan.action === "replace") await writeIstioObject(clients, { action: "replace", ...target, object: withoutServerFields(plan.after!) as IstioObject, resourceVersion }, { dryRun });
  if (plan.action === "delete") await writeIstioObject(clients, { action: "delete", ...target, resourceVersion }, { dryRun });
}

/** PUT: apply the previewed proposal or roll back the console's last change; a dry run first, always. */
export async function changeAuthorization(deps: AuthorizationDeps, change: AuthorizationChange): Promise<AuthorizationChangeResult> {
  refuseInViewOnly(deps.viewOnly);
  await assertNamespaceAccess(change.namespace);
  const name = proposedPolicyName(change.workload);
  const existing = await readConsolePolicy(deps.clients, change.namespace, change.workload);
  checkVersion(existing, change.resourceVersion, { namespace: change.namespace, name });
  if (existing && !createdByConsole(existing)) {
    throw new BadRequestError(`AuthorizationPolicy ${change.namespace}/${name} was not created by the console (no mesh-console.io/created-by label); edit it in the config editor instead`, 409);
  }
  let plan: Plan;
  if (change.action === "apply") {
    plan = planApply(existing, await readWorkload(deps.clients, change.namespace, change.workload), change);
  } else {
    if (!existing) throw new BadRequestError(`Nothing to roll back: ${change.workload} has no AuthorizationPolicy from the console`, 409);
    plan = planRollback(existing);
  }
  await write(deps.clients, plan, change.namespace, name, true);
  if (!change.dryRun) await write(deps.clients, plan, change.namespace, name, false);
  return { action: plan.action, dryRun: change.dryRun, name, before: yamlOf(plan.before), after: yamlOf(plan.after) };
}
