/**
 * Which namespaces' mesh data a signed-in person may see. Some of what the console shows does not
 * come from a Kubernetes call made with the person's token: findings come from the console's own
 * watch caches, the graph's Kubernetes lookups use the console's identity, and Prometheus knows
 * nothing of Kubernetes RBAC. Without a check here, anyone signed in could read every namespace's
 * traffic and findings through those routes.
 *
 * The rule: with token sign-in, a person sees mesh data only for the namespaces in which Kubernetes
 * lets THEIR token list pods. Pods are where a namespace's traffic comes from and what the graph
 * and the charts describe, and `list pods` is what any read-only role over a namespace grants.
 *   - One call first: listing pods in all namespaces (limit 1). If RBAC allows it (a
 *     ClusterRoleBinding), every namespace is allowed, including ones created later, and nothing
 *     is filtered.
 *   - Otherwise each candidate namespace is probed with `list pods?limit=1` in it. The candidates are
 *     the namespaces the person may list; a person bound only by RoleBindings may not list
 *     namespaces at all, and then the console's own list supplies the candidate names (those are
 *     never shown: only names the person's own probe passes are used).
 *   A list probe answers the same question a SelfSubjectAccessReview would, with RBAC's own
 *   decision on the very call, and is a read as well.
 *   https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access
 * The answer is kept per session for ACCESS_TTL_MS, so a RoleBinding added or removed takes effect
 * within that time, and concurrent requests share one check.
 *
 * What routes do with it. The check follows what a route READS, never what its request says, so a
 * query builder that ignores a parameter cannot widen what a person sees:
 *   - Prometheus: every query sent for a person is checked against the namespaces its selectors
 *     are pinned to (server/prometheus/pinnedNamespaces.ts): each selector needs one namespace
 *     matcher whose namespaces are all allowed; a selector pinned to none (figures summed over
 *     every namespace, such as traffic to a host outside the mesh from every caller) needs every
 *     namespace. Routes send their queries through `personPrometheus`, which checks each query
 *     before it leaves; the graph, whose builds are shared by every viewer, checks its query texts
 *     before a request joins a build (assertMayReadQueries). istiod's own metrics (`pilot_*`) are
 *     pinned to the root namespace (MESH_ROOT_NAMESPACE), where only istiod exports them;
 *   - reads of namespaces (watch caches, lists, details): the namespaces read are checked. A route
 *     for some namespaces answers 403 "Your account may not read namespace X" when any is not
 *     allowed (rather than silently answering less than was asked); an empty request (= all
 *     namespaces) becomes the allowed list, or stays "all" for a person who may list pods
 *     everywhere; a person allowed no namespace at all gets 403;
 *   - findings are filtered to the allowed namespaces; findings on cluster-scoped objects (no
 *     namespace) are shown only to a person who may list pods in every namespace, since they
 *     concern everyone's traffic.
 * With anonymous access nothing changes: everyone acts with the console's own identity, as the
 * README's "Access and security" says.
 */
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import { getConfig } from "@/server/config";
import { consoleKube, KubeError, kubeCall, requestKube, type KubeClients } from "@/server/kube";
import type { PrometheusClient } from "@/server/prometheus/client";
import { refusedReads } from "@/server/prometheus/pinnedNamespaces";

/** How long one person's answer is reused. */
export const ACCESS_TTL_MS = 30_000;
/** Probes in flight at once for one person, so a cluster with many namespaces is not flooded. */
const PROBE_CONCURRENCY = 8;

/** `all`: the person may list pods in every namespace; otherwise exactly `namespaces`. */
export type AllowedNamespaces = { all: true } | { all: false; namespaces: ReadonlySet<string> };

export interface NamespaceAccessOptions {
  /** Supplies candidate namespace names when the person may not list namespaces. */
  consoleClients: () => KubeClients;
  ttlMs?: number;
  now?: () => number;
}

function isForbidden(error: unknown): boolean {
  return error instanceof KubeError && error.failure === "forbidden";
}

async function mayListAllPods(clients: KubeClients): Promise<boolean> {
  try {
    await kubeCall(clients, "access_check", "list pods in all namespaces", () => clients.core.listPodForAllNamespaces({ limit: 1 }));
    return true;
  } catch (error) {
    if (isForbidden(error)) return false;
    throw error;
  }
}

async function namespaceNames(clients: KubeClients): Promise<string[]> {
  const list = await kubeCall(clients, "access_check", "list namespaces", () => clients.core.listNamespace());
  return list.items.map((item) => item.metadata?.name ?? "").filter(Boolean);
}

async function mayListPodsIn(clients: KubeClients, namespace: string): Promise<boolean> {
  try {
    await kubeCall(clients, "access_check", `list pods in ${namespace}`, () => clients.core.listNamespacedPod({ namespace, limit: 1 }));
    return true;
  } catch (error) {
    // Not found: the namespace went away between the list and the probe.
    if (isForbidden(error) || (error instanceof KubeError && error.failure === "not-found")) return false;
    throw error;
  }
}

async function probeAll(clients: KubeClients, candidates: readonly string[]): Promise<Set<string>> {
  const allowed = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const namespace = candidates[next++] as string;
      if (await mayListPodsIn(clients, namespace)) allowed.add(namespace);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, candidates.length) }, worker));
  return allowed;
}

/** Finds and caches, per set of clients (one per session), what each person may read. */
export class NamespaceAccess {
  private readonly answers = new WeakMap<KubeClients, { expiresAt: number; allowed: Promise<AllowedNamespaces> }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: NamespaceAccessOptions) {
    this.ttlMs = options.ttlMs ?? ACCESS_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  allowed(clients: KubeClients): Promise<AllowedNamespaces> {
    const cached = this.answers.get(clients);
    if (cached && cached.expiresAt > this.now()) return cached.allowed;
    const allowed = this.check(clients);
    const entry = { expiresAt: Number.POSITIVE_INFINITY, allowed };
    this.answers.set(clients, entry);
    // The time counts from the answer, so a slow check is not stale on arrival; a failed check
    // (API server unreachable) is not remembered.
    allowed.then(
      () => (entry.expiresAt = this.now() + this.ttlMs),
      () => {
        if (this.answers.get(clients) === entry) this.answers.delete(clients);
      },
    );
    return allowed;
  }

  private async check(clients: KubeClients): Promise<AllowedNamespaces> {
    if (await mayListAllPods(clients)) return { all: true };
    let candidates: string[];
    try {
      candidates = await namespaceNames(clients);
    } catch (error) {
      if (!isForbidden(error)) throw error;
      candidates = await namespaceNames(this.options.consoleClients());
    }
    return { all: false, namespaces: await probeAll(clients, candidates) };
  }
}

function refusal(namespaces: readonly string[]): KubeError {
  const which = namespaces.length === 1 ? `namespace ${namespaces[0]}` : `namespaces ${namespaces.join(", ")}`;
  return new KubeError("forbidden", `Your account may not read ${which}: the console shows a namespace's mesh data only to people whom Kubernetes RBAC lets list its pods`, 403);
}

/**
 * The namespaces to answer for, given the requested ones (empty = all): the request itself when
 * every one is allowed; for an empty request, the allowed namespaces, or still empty (all) when
 * everything is allowed. Throws a 403 KubeError naming what is not allowed.
 */
export function intersectNamespaces(requested: readonly string[], allowed: AllowedNamespaces): string[] {
  if (allowed.all) return [...requested];
  if (requested.length === 0) {
    if (allowed.namespaces.size === 0) {
      throw new KubeError("forbidden", "Your account may not read any namespace's mesh data: Kubernetes RBAC lets it list pods in none", 403);
    }
    return [...allowed.namespaces].sort();
  }
  const refused = requested.filter((namespace) => !allowed.namespaces.has(namespace));
  if (refused.length > 0) throw refusal(refused);
  return [...requested];
}

const globalKey = Symbol.for("mesh-console.namespace-access");
type GlobalWithAccess = typeof globalThis & { [globalKey]?: NamespaceAccess };

/** One per process, kept on globalThis because Next loads this module in each route's bundle. */
function namespaceAccess(): NamespaceAccess {
  const holder = globalThis as GlobalWithAccess;
  holder[globalKey] ??= new NamespaceAccess({ consoleClients: consoleKube });
  return holder[globalKey];
}

/** The signed-in person's clients, or undefined when the console's own identity applies to everyone. */
function personClients(): KubeClients | undefined {
  // Every mode but anonymous acts for a person (token, openid, or impersonation behind a proxy).
  if (getConfig().auth.mode === "anonymous") return undefined;
  const clients = requestKube();
  // The guard runs every non-public route inside the person's clients; reaching here without them
  // is a bug, and answering with the console's identity would be the leak this module prevents.
  if (!clients) throw new KubeError("unauthorized", "Sign in with a Kubernetes token to read mesh data", 401);
  return clients;
}

/** For the request being served: what the person may read (everything in anonymous mode). */
export async function allowedNamespaces(): Promise<AllowedNamespaces> {
  const clients = personClients();
  return clients ? namespaceAccess().allowed(clients) : { all: true };
}

/** For routes that take `namespaces` (empty = all): see intersectNamespaces. */
export async function authorizedNamespaces(requested: readonly string[]): Promise<string[]> {
  return intersectNamespaces(requested, await allowedNamespaces());
}

/** istiod's own metrics: only istiod's pods, in the root namespace, export them. */
function homeNamespaceOf(metric: string): string | undefined {
  return metric.startsWith("pilot_") ? MESH_ROOT_NAMESPACE : undefined;
}

/** Throws the 403 for `queries` when what they read lies outside `allowed` (see the module comment). */
export function assertQueriesAllowed(queries: readonly string[], allowed: AllowedNamespaces): void {
  if (allowed.all) return;
  const refused = refusedReads(queries, allowed.namespaces, { homeNamespaceOf });
  if (refused.all) {
    throw new KubeError("forbidden", "Your account may not read these figures: they are not limited to namespaces, so they add up traffic from every namespace, and Kubernetes RBAC lets it list pods only in some", 403);
  }
  if (refused.namespaces.length > 0) throw refusal(refused.namespaces);
}

/** For the request being served: 403 unless the person may read everything `queries` select. */
export async function assertMayReadQueries(queries: readonly string[]): Promise<void> {
  assertQueriesAllowed(queries, await allowedNamespaces());
}

const checkedPrometheusClients = new WeakMap<PrometheusClient, PrometheusClient>();

/**
 * `client` for the request being served: each query is checked with assertMayReadQueries before
 * it is sent, so a refused query never reaches Prometheus. One wrapper per client, so what is
 * cached per client (server/telemetry/recordingRules.ts) stays shared.
 */
export function personPrometheus(client: PrometheusClient): PrometheusClient {
  const existing = checkedPrometheusClients.get(client);
  if (existing) return existing;
  const checked: PrometheusClient = {
    baseUrl: client.baseUrl,
    async instant(query, timeSeconds) {
      await assertMayReadQueries([query]);
      return client.instant(query, timeSeconds);
    },
    async range(query, options) {
      await assertMayReadQueries([query]);
      return client.range(query, options);
    },
    async queryData(query, timeSeconds) {
      await assertMayReadQueries([query]);
      return client.queryData(query, timeSeconds);
    },
  };
  checkedPrometheusClients.set(client, checked);
  return checked;
}

/** For routes about one object: 403 unless the person may read its namespace. */
export async function assertNamespaceAccess(namespace: string): Promise<void> {
  intersectNamespaces([namespace], await allowedNamespaces());
}
