/**
 * Watch-backed caches of Kubernetes objects: one list + watch per resource, cluster-wide (or one
 * namespace), kept for the whole process so that features read the cluster from memory and hear
 * about every change. Built on client-node's ListWatch, which resumes a closed watch from the last
 * resourceVersion and relists when the API server answers 410 Gone
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes).
 * ListWatch stops for good on any other error, so each cache restarts itself with backoff, and
 * lists again when it does (see RelistingWatch).
 */
import { ListWatch, Watch, type KubernetesListObject, type KubernetesObject } from "@kubernetes/client-node";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import { GATEWAY_API_GROUP, ISTIO_KINDS } from "@/lib/istioKinds";
import { KubeError } from "./errors";
import { consoleKube, kubeCall, type KubeClients } from "./index";

/** A Kubernetes object as the API server sends it (plain JSON), always carrying kind and apiVersion. */
export interface KubeObject extends KubernetesObject {
  kind: string;
  apiVersion: string;
  metadata: NonNullable<KubernetesObject["metadata"]>;
  [field: string]: unknown;
}

export interface WatchedResource {
  readonly kind: string;
  /** `v1`, `apps/v1`, `networking.istio.io/v1`. */
  readonly apiVersion: string;
  readonly plural: string;
  /** Watch this namespace only; cluster-wide otherwise. */
  readonly namespace?: string;
  /**
   * The resource is served only when its CRDs are installed (the Gateway API): a 404 on its list
   * means "none here", the cache counts as loaded and empty, and it keeps asking (with the usual
   * backoff) so CRDs installed later are picked up.
   */
  readonly optional?: boolean;
}

export type CacheEventType = "ADDED" | "MODIFIED" | "DELETED";
export interface CacheEvent {
  readonly type: CacheEventType;
  readonly resource: WatchedResource;
  readonly object: KubeObject;
}
export type CacheListener = (event: CacheEvent) => void;

export interface CacheStatus {
  readonly resource: string;
  /** The first full list has arrived. */
  readonly synced: boolean;
  readonly restarts: number;
  readonly lastError?: string;
  /** An optional resource the API server does not serve (its last list answered 404). */
  readonly absent?: boolean;
}

export interface ObjectCaches {
  /** Starts every watch (once); resolves when all initial lists are in, or rejects after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  isReady(): boolean;
  /** Objects of one resource (by its `resourceKey`), optionally of one namespace. */
  list(resource: WatchedResource, namespace?: string): readonly KubeObject[];
  get(resource: WatchedResource, name: string, namespace?: string): KubeObject | undefined;
  /** Every cached object of every resource. */
  all(): KubeObject[];
  subscribe(listener: CacheListener): () => void;
  status(): CacheStatus[];
  stop(): Promise<void>;
}

export interface CacheOptions {
  /** First restart delay after a failed list or watch; doubles up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
}

/**
 * What the validation engine, the graph and the detail pages read. ConfigMaps only in the mesh's
 * root namespace (mesh config and injector settings); Nodes are left out: locality checks then see
 * none, as with offline files. The Gateway API kinds are optional (a cluster may not have their
 * CRDs) and carry their API kind (`Gateway`), which only their apiVersion tells from Istio's.
 */
export const MESH_RESOURCES: readonly WatchedResource[] = [
  { kind: "Namespace", apiVersion: "v1", plural: "namespaces" },
  { kind: "Service", apiVersion: "v1", plural: "services" },
  { kind: "Pod", apiVersion: "v1", plural: "pods" },
  { kind: "ServiceAccount", apiVersion: "v1", plural: "serviceaccounts" },
  { kind: "ConfigMap", apiVersion: "v1", plural: "configmaps", namespace: MESH_ROOT_NAMESPACE },
  { kind: "Deployment", apiVersion: "apps/v1", plural: "deployments" },
  { kind: "ReplicaSet", apiVersion: "apps/v1", plural: "replicasets" },
  ...ISTIO_KINDS.map(({ apiKind, group, version, plural }) => ({ kind: apiKind, apiVersion: `${group}/${version}`, plural, ...(group === GATEWAY_API_GROUP ? { optional: true } : {}) })),
];

/** The cluster-wide cache entry of a resource by its API group/version and plural. */
export function meshResource(apiVersion: string, plural: string): WatchedResource {
  const resource = MESH_RESOURCES.find((candidate) => candidate.apiVersion === apiVersion && candidate.plural === plural && !candidate.namespace);
  if (!resource) throw new Error(`The console's caches do not watch ${plural}.${apiVersion}`);
  return resource;
}

export function resourceKey(resource: WatchedResource): string {
  return resource.namespace ? `${resource.plural}.${resource.apiVersion}@${resource.namespace}` : `${resource.plural}.${resource.apiVersion}`;
}

/** `/api/v1/pods`, `/apis/networking.istio.io/v1/namespaces/x/virtualservices`. */
export function resourcePath(resource: WatchedResource): string {
  const base = resource.apiVersion.includes("/") ? `/apis/${resource.apiVersion}` : `/api/${resource.apiVersion}`;
  return resource.namespace ? `${base}/namespaces/${encodeURIComponent(resource.namespace)}/${resource.plural}` : `${base}/${resource.plural}`;
}

type RawList = { metadata?: { resourceVersion?: string }; items: unknown[] };

/** The typed client for the built-in kinds; the custom-objects client for everything with a group. */
function listCall(clients: KubeClients, resource: WatchedResource): () => Promise<RawList> {
  const namespace = resource.namespace;
  const { core, apps, custom } = clients;
  const typed: Record<string, () => Promise<RawList>> = {
    "v1/namespaces": () => core.listNamespace(),
    "v1/services": () => (namespace ? core.listNamespacedService({ namespace }) : core.listServiceForAllNamespaces()),
    "v1/pods": () => (namespace ? core.listNamespacedPod({ namespace }) : core.listPodForAllNamespaces()),
    "v1/endpoints": () => (namespace ? core.listNamespacedEndpoints({ namespace }) : core.listEndpointsForAllNamespaces()),
    "v1/serviceaccounts": () => (namespace ? core.listNamespacedServiceAccount({ namespace }) : core.listServiceAccountForAllNamespaces()),
    "v1/configmaps": () => (namespace ? core.listNamespacedConfigMap({ namespace }) : core.listConfigMapForAllNamespaces()),
    "v1/nodes": () => core.listNode(),
    "apps/v1/deployments": () => (namespace ? apps.listNamespacedDeployment({ namespace }) : apps.listDeploymentForAllNamespaces()),
    "apps/v1/replicasets": () => (namespace ? apps.listNamespacedReplicaSet({ namespace }) : apps.listReplicaSetForAllNamespaces()),
  };
  const known = typed[`${resource.apiVersion}/${resource.plural}`];
  if (known) return known;
  const slash = resource.apiVersion.indexOf("/");
  if (slash < 0) throw new Error(`No list call for core resource ${resource.plural}`);
  const coordinates = { group: resource.apiVersion.slice(0, slash), version: resource.apiVersion.slice(slash + 1), plural: resource.plural };
  return async () => (namespace ? custom.listNamespacedCustomObject({ ...coordinates, namespace }) : custom.listClusterCustomObject(coordinates)) as Promise<RawList>;
}

/**
 * List items come without kind/apiVersion, and the typed clients turn timestamps into Dates; watch
 * events are plain JSON with both. Everything in the cache is made to look like a watch event.
 */
export function asKubeObject(raw: unknown, resource: WatchedResource): KubeObject {
  const plain = JSON.parse(JSON.stringify(raw)) as Partial<KubeObject>;
  return { ...plain, kind: resource.kind, apiVersion: resource.apiVersion, metadata: plain.metadata ?? {} } as KubeObject;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) return String(error.message);
  return String(error);
}

/**
 * A Watch that answers its next call with 410 Gone when told to, which makes ListWatch forget its
 * resourceVersion and list again, announcing as deleted whatever is no longer there. After a
 * failure the cache cannot know what it missed, nor whether the server's resourceVersions still
 * mean what they did: an API server restored from an etcd backup (or the demo's emulator, restarted)
 * counts them from lower again, and a watch resumed from a version it has not reached yet would
 * skip every change up to it.
 */
class RelistingWatch extends Watch {
  relistNext = false;

  override async watch(...args: Parameters<Watch["watch"]>): Promise<AbortController> {
    if (!this.relistNext) return super.watch(...args);
    this.relistNext = false;
    const done = args[3];
    done({ statusCode: 410 });
    return new AbortController();
  }
}

interface ResourceWatch {
  readonly resource: WatchedResource;
  readonly informer: ListWatch<KubeObject>;
  synced: boolean;
  restarts: number;
  lastError?: string;
  absent: boolean;
  backoffMs: number;
  timer?: NodeJS.Timeout;
}

export function createObjectCaches(clients: KubeClients, resources: readonly WatchedResource[], options: CacheOptions = {}): ObjectCaches {
  const firstBackoff = options.backoffMs ?? 1000;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const listeners = new Set<CacheListener>();
  const watches = new Map<string, ResourceWatch>();
  let started = false;
  let stopped = false;
  const waiters = new Set<() => void>();

  function notifyIfReady(): void {
    if (!isReady()) return;
    for (const wake of waiters) wake();
    waiters.clear();
  }

  function emit(type: CacheEventType, resource: WatchedResource, object: KubeObject): void {
    const event: CacheEvent = { type, resource, object: object.kind ? object : asKubeObject(object, resource) };
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error(`A listener of ${resource.plural} changes failed:`, error);
      }
    }
  }

  function watchOf(resource: WatchedResource): ResourceWatch {
    const call = listCall(clients, resource);
    const list = async (): Promise<KubernetesListObject<KubeObject>> => {
      let answer: RawList;
      try {
        answer = await kubeCall(clients, "list_watched", `list ${resource.plural}${resource.namespace ? ` in ${resource.namespace}` : ""} for the watch cache`, call);
        state.absent = false;
      } catch (error) {
        if (!(resource.optional && error instanceof KubeError && error.failure === "not-found")) throw error;
        // Not served: an empty list. The watch that follows fails the same way and restarts with backoff.
        state.absent = true;
        answer = { metadata: { resourceVersion: "" }, items: [] };
      }
      return { apiVersion: "v1", kind: "List", metadata: { resourceVersion: answer.metadata?.resourceVersion ?? "" }, items: answer.items.map((item) => asKubeObject(item, resource)) };
    };
    const listed = async () => {
      const answer = await list();
      // A fresh list is all a restart needs; the watch that follows resumes from it.
      relisting.relistNext = false;
      // ListWatch applies the list in the promise continuation after this resolves; announce readiness after that.
      setImmediate(() => {
        state.synced = true;
        state.backoffMs = firstBackoff;
        notifyIfReady();
      });
      return answer;
    };
    const relisting = new RelistingWatch(clients.kubeConfig);
    const informer = new ListWatch<KubeObject>(resourcePath(resource), relisting, listed, false);
    const state: ResourceWatch = { resource, informer, synced: false, restarts: 0, absent: false, backoffMs: firstBackoff };
    informer.on("add", (object) => emit("ADDED", resource, object));
    informer.on("update", (object) => emit("MODIFIED", resource, object));
    informer.on("delete", (object) => emit("DELETED", resource, object));
    informer.on("connect", () => {
      state.lastError = undefined;
    });
    informer.on("error", (error) => {
      // Stopping aborts the watch request, which ListWatch reports as an error.
      if (stopped) return;
      state.lastError = state.absent ? "not served by the API server (its CRD is not installed)" : describe(error);
      state.restarts += 1;
      relisting.relistNext = true;
      const delay = state.backoffMs;
      state.backoffMs = Math.min(state.backoffMs * 2, maxBackoff);
      clearTimeout(state.timer);
      state.timer = setTimeout(() => {
        // start() would resume from the last resourceVersion; RelistingWatch makes it list again first.
        if (!stopped) void informer.start();
      }, delay);
      state.timer.unref?.();
    });
    return state;
  }

  for (const resource of resources) {
    const key = resourceKey(resource);
    if (!watches.has(key)) watches.set(key, watchOf(resource));
  }

  function start(): void {
    if (started) return;
    started = true;
    for (const watch of watches.values()) void watch.informer.start();
  }

  function isReady(): boolean {
    return [...watches.values()].every((watch) => watch.synced);
  }

  function watchFor(resource: WatchedResource): ResourceWatch {
    const watch = watches.get(resourceKey(resource));
    if (!watch) throw new Error(`${resourceKey(resource)} is not watched; add it to the caches' resources`);
    return watch;
  }

  return {
    ready(timeoutMs = 30_000) {
      start();
      if (isReady()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          const waiting = [...watches.values()].filter((watch) => !watch.synced);
          reject(new Error(`The Kubernetes caches are still loading after ${timeoutMs / 1000} s: ${waiting.map((watch) => `${watch.resource.plural}${watch.lastError ? ` (${watch.lastError})` : ""}`).join(", ")}`));
        }, timeoutMs);
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.add(wake);
      });
    },
    isReady,
    list(resource, namespace) {
      start();
      return watchFor(resource).informer.list(namespace);
    },
    get(resource, name, namespace) {
      start();
      return watchFor(resource).informer.get(name, namespace);
    },
    all() {
      start();
      return [...watches.values()].flatMap((watch) => [...watch.informer.list()]);
    },
    subscribe(listener) {
      start();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status() {
      return [...watches.values()].map((watch) => ({ resource: resourceKey(watch.resource), synced: watch.synced, restarts: watch.restarts, lastError: watch.lastError, ...(watch.absent ? { absent: true } : {}) }));
    },
    async stop() {
      stopped = true;
      for (const watch of watches.values()) {
        clearTimeout(watch.timer);
        await watch.informer.stop();
      }
      listeners.clear();
    },
  };
}

const globalKey = Symbol.for("mesh-console.mesh-caches");
type GlobalWithCaches = typeof globalThis & { [globalKey]?: ObjectCaches };

/**
 * The process-wide caches of everything the mesh checks read; watches start on first use. They
 * watch as the console itself, never as the person whose request happened to start them.
 */
export function meshCaches(): ObjectCaches {
  const holder = globalThis as GlobalWithCaches;
  holder[globalKey] ??= createObjectCaches(consoleKube(), MESH_RESOURCES);
  return holder[globalKey];
}
