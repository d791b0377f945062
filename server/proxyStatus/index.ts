/**
 * Proxy sync status, as `istioctl proxy-status` shows it: every istiod pod is asked for its
 * `/debug/syncz` on its HTTP debug port (15014) through the Kubernetes API's pods proxy, because each
 * replica answers only for the proxies connected to it, and the pod asked is the istiod a proxy is
 * connected to.
 *   GET /api/v1/namespaces/istio-system/pods/<istiod-pod>:15014/proxy/debug/syncz
 * https://kubernetes.io/docs/tasks/access-application-cluster/access-cluster-services/#manually-constructing-apiserver-proxy-urls
 *
 * The calls carry the identity of the request (`kube()`): with token sign-in, the person's token,
 * so Kubernetes RBAC decides: `list` on pods and `get` on pods/proxy in istio-system. A refusal to
 * list istiod's pods fails the request (403, naming the permission); one istiod that does not answer
 * is reported beside the others' answers.
 *
 * Answers are kept ANSWER_TTL_MS per identity, so pages refreshing together (overview, graph,
 * workload) cost one round of calls to istiod.
 */
import type { ProxyStatusResponse, ProxySync } from "@/lib/api/proxyStatus";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import { kube, kubeCall, type KubeClients } from "@/server/kube";
import { meshCaches, MESH_RESOURCES } from "@/server/kube/informers";
import { inventoryPod } from "@/server/graph/inventory";
import { summarizePod } from "@/server/mesh/pods";
import { mergeIstiodAnswers, synczSchema, type ProxySyncCore, type SynczEntry } from "./syncz";

export const ANSWER_TTL_MS = 15_000;
/** istiod's HTTP monitoring and debug port. https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio */
export const ISTIOD_DEBUG_PORT = 15014;
const ISTIOD_SELECTOR = "app=istiod";
/** How long a read waits for the console's caches (pod → workload) before answering without workloads. */
const CACHE_WAIT_MS = 5_000;

interface IstiodAnswer {
  name: string;
  entries: SynczEntry[];
  error: string | null;
}

interface MeshSyncz {
  proxies: ProxySyncCore[];
  istiods: ProxyStatusResponse["istiods"];
  readAt: string;
}

/** The proxy endpoint answers JSON; client-node hands it over parsed or as text depending on the content type. */
export function parseSynczBody(body: unknown): SynczEntry[] {
  const value: unknown = typeof body === "string" ? JSON.parse(body) : body;
  return synczSchema.parse(value ?? []);
}

async function askIstiod(clients: KubeClients, namespace: string, pod: string): Promise<IstiodAnswer> {
  try {
    const body: unknown = await kubeCall(clients, "proxy_istiod_syncz", `read istiod's proxy sync status (get pods/proxy ${pod}:${ISTIOD_DEBUG_PORT} in ${namespace})`, () =>
      clients.core.connectGetNamespacedPodProxyWithPath({ name: `${pod}:${ISTIOD_DEBUG_PORT}`, namespace, path: "debug/syncz" }),
    );
    return { name: pod, entries: parseSynczBody(body), error: null };
  } catch (error) {
    return { name: pod, entries: [], error: error instanceof Error ? error.message : String(error) };
  }
}

async function readMeshSyncz(clients: KubeClients): Promise<MeshSyncz> {
  const namespace = MESH_ROOT_NAMESPACE;
  const pods = await kubeCall(clients, "list_pods", `list istiod's pods in ${namespace} (${ISTIOD_SELECTOR}) to read proxy sync status`, () =>
    clients.core.listNamespacedPod({ namespace, labelSelector: ISTIOD_SELECTOR }),
  );
  const running = pods.items.filter((pod) => pod.status?.phase === "Running" && pod.metadata?.name).map((pod) => pod.metadata?.name ?? "");
  const answers = await Promise.all(running.sort().map((pod) => askIstiod(clients, namespace, pod)));
  return {
    proxies: mergeIstiodAnswers(answers.map((answer) => ({ istiod: answer.name, entries: answer.entries }))),
    istiods: answers.map((answer) => ({ name: answer.name, proxies: answer.entries.length, error: answer.error })),
    readAt: new Date().toISOString(),
  };
}

const cacheKey = Symbol.for("mesh-console.proxy-status");
type Cached = { at: number; answer: Promise<MeshSyncz> };
type GlobalWithCache = typeof globalThis & { [cacheKey]?: WeakMap<KubeClients, Cached> };

/** One answer per identity (its clients) for ANSWER_TTL_MS; a failed read is not kept. */
function cachedMeshSyncz(clients: KubeClients, now = Date.now()): Promise<MeshSyncz> {
  const holder = globalThis as GlobalWithCache;
  holder[cacheKey] ??= new WeakMap();
  const cache = holder[cacheKey];
  const known = cache.get(clients);
  if (known && now - known.at < ANSWER_TTL_MS) return known.answer;
  const answer = readMeshSyncz(clients);
  cache.set(clients, { at: now, answer });
  answer.catch(() => {
    if (cache.get(clients)?.answer === answer) cache.delete(clients);
  });
  return answer;
}

export interface ProxyPod {
  name: string;
  namespace: string;
  workload: string;
  app: string | null;
  version: string | null;
}

/** The proxies of `namespaces` (empty = all), each with its pod's workload, app and version when known. */
export function proxiesIn(proxies: readonly ProxySyncCore[], namespaces: readonly string[], pods: readonly ProxyPod[]): ProxySync[] {
  const wanted = new Set(namespaces);
  const podsByKey = new Map(pods.map((pod) => [`${pod.namespace}/${pod.name}`, pod]));
  return proxies
    .filter((proxy) => wanted.size === 0 || wanted.has(proxy.namespace))
    .map((proxy) => {
      const pod = podsByKey.get(`${proxy.namespace}/${proxy.pod}`);
      return { ...proxy, workload: pod?.workload ?? null, app: pod?.app ?? null, version: pod?.version ?? null };
    });
}

const PODS = MESH_RESOURCES.find((resource) => resource.plural === "pods" && !resource.namespace);

/** Pod facts from the console's watch caches (no Kubernetes call); the route has checked the namespaces. */
async function cachedPods(namespaces: readonly string[]): Promise<ProxyPod[]> {
  if (!PODS || namespaces.length === 0) return [];
  const caches = meshCaches();
  await caches.ready(CACHE_WAIT_MS);
  return namespaces.flatMap((namespace) =>
    caches.list(PODS, namespace).map((raw) => {
      // App and version named as the graph names them, so the graph's badges match its nodes.
      const { workload, app, version } = inventoryPod(raw);
      return { name: summarizePod(raw).name, namespace: summarizePod(raw).namespace, workload, app, version };
    }),
  );
}

/** The sync status of the proxies in `namespaces` (already authorized; empty = all). */
export async function readProxyStatus(namespaces: readonly string[]): Promise<ProxyStatusResponse> {
  const mesh = await cachedMeshSyncz(kube());
  const selected = proxiesIn(mesh.proxies, namespaces, []);
  const podNamespaces = [...new Set(selected.map((proxy) => proxy.namespace))];
  return { proxies: proxiesIn(mesh.proxies, namespaces, await cachedPods(podNamespaces)), istiods: mesh.istiods, readAt: mesh.readAt };
}
