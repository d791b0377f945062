/**
 * The pods behind each workload, read from the Kubernetes API with a client-node informer, so
 * log lines land in real pods' containers: a workload (Deployment) owns ReplicaSets named
 * `<deployment>-<pod-template-hash>`, which own its pods.
 * https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#pod-template-hash-label
 */
import { CoreV1Api, KubeConfig, makeInformer, type Informer, type KubernetesObject, type ObjectCache } from "@kubernetes/client-node";
import { z } from "zod";
import type { AccessLogEncoding } from "./access-log";

/**
 * Demo opt-in for Istio's JSON access-log encoding on one workload's pods (annotation on the pod
 * template). On a real mesh the encoding is mesh-wide (MeshConfig `accessLogEncoding: JSON`) or
 * chosen per workload with a Telemetry resource and a JSON envoyFileAccessLog provider.
 */
export const ACCESS_LOG_ENCODING_ANNOTATION = "demo.mesh-console.io/access-log-encoding";

export interface PodInfo {
  namespace: string;
  name: string;
  ip: string;
  /** The application's container (the first that is not istio-proxy), if any. */
  appContainer?: string;
  hasProxy: boolean;
  accessLogEncoding: AccessLogEncoding;
  /** `spec.nodeName`: which node's ztunnel carries an ambient pod's traffic. */
  node?: string;
  /** The `app` label (`ztunnel` for ztunnel's pods). */
  app?: string;
}

const podSchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    ownerReferences: z.array(z.looseObject({ kind: z.string(), name: z.string(), controller: z.boolean().optional() })).optional(),
    deletionTimestamp: z.string().optional(),
  }),
  spec: z.looseObject({ containers: z.array(z.looseObject({ name: z.string() })), nodeName: z.string().optional() }),
  status: z.looseObject({ phase: z.string().optional(), podIP: z.string().optional() }).optional(),
});

/**
 * The workload key (`namespace/deployment`) a pod belongs to: its ReplicaSet's name without the
 * pod-template-hash; a pod owned by anything else (or nothing) is its own workload.
 */
export function workloadKeyOfPod(raw: unknown): { key: string; pod: PodInfo } | undefined {
  const parsed = podSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { metadata, spec, status } = parsed.data;
  if (metadata.deletionTimestamp || (status?.phase && status.phase !== "Running")) return undefined;
  const owner = metadata.ownerReferences?.find((r) => r.controller) ?? metadata.ownerReferences?.[0];
  const hash = metadata.labels?.["pod-template-hash"];
  let workload = metadata.name;
  if (owner?.kind === "ReplicaSet") workload = hash && owner.name.endsWith(`-${hash}`) ? owner.name.slice(0, -hash.length - 1) : owner.name;
  else if (owner) workload = owner.name;
  const names = spec.containers.map((c) => c.name);
  const appContainer = names.find((name) => name !== "istio-proxy");
  const encoding = metadata.annotations?.[ACCESS_LOG_ENCODING_ANNOTATION]?.toUpperCase() === "JSON" ? "JSON" : "TEXT";
  return {
    key: `${metadata.namespace}/${workload}`,
    pod: {
      namespace: metadata.namespace,
      name: metadata.name,
      ip: status?.podIP ?? "10.244.0.1",
      ...(appContainer ? { appContainer } : {}),
      hasProxy: names.includes("istio-proxy"),
      accessLogEncoding: encoding,
      ...(spec.nodeName ? { node: spec.nodeName } : {}),
      ...(metadata.labels?.["app"] ? { app: metadata.labels["app"] } : {}),
    },
  };
}

export interface PodDirectory {
  /** Running pods of a workload (`namespace/name`), in name order. */
  podsOf(workloadKey: string): readonly PodInfo[];
  /** Every running pod with its workload key, in workload then name order. */
  all(): ReadonlyArray<{ key: string; pod: PodInfo }>;
  stop(): Promise<void>;
}

/** Indexes pods by workload; rebuilt lazily after the informer reports a change. */
export function indexPods(pods: readonly unknown[]): Map<string, PodInfo[]> {
  const byWorkload = new Map<string, PodInfo[]>();
  for (const raw of pods) {
    const found = workloadKeyOfPod(raw);
    if (!found) continue;
    const list = byWorkload.get(found.key) ?? [];
    list.push(found.pod);
    byWorkload.set(found.key, list);
  }
  for (const list of byWorkload.values()) list.sort((a, b) => (a.name < b.name ? -1 : 1));
  return byWorkload;
}

export async function watchPods(kubeConfig: KubeConfig, log: (message: string) => void): Promise<PodDirectory> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject> = makeInformer<KubernetesObject>(kubeConfig, "/api/v1/pods", () => core.listPodForAllNamespaces());
  let index: Map<string, PodInfo[]> | undefined;
  let stopped = false;
  const invalidate = () => {
    index = undefined;
  };
  informer.on("add", invalidate);
  informer.on("update", invalidate);
  informer.on("delete", invalidate);
  informer.on("error", (error: unknown) => {
    if (stopped) return;
    log(`watch Pod (for pod logs): ${(error as Error | undefined)?.message ?? String(error)}; retrying in 2 s`);
    setTimeout(() => {
      if (!stopped) void informer.start();
    }, 2000);
  });
  await informer.start();
  return {
    podsOf: (key) => {
      index ??= indexPods(informer.list());
      return index.get(key) ?? [];
    },
    all: () => {
      index ??= indexPods(informer.list());
      return [...index.entries()].flatMap(([key, pods]) => pods.map((pod) => ({ key, pod })));
    },
    stop: async () => {
      stopped = true;
      await informer.stop();
    },
  };
}
