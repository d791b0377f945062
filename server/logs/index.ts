/**
 * Pods' logs and the containers to pick from, read through Kubernetes with the identity of the
 * request (`kube()`): with token sign-in the person's own token, so RBAC on `pods/log` decides
 * whose logs a person reads, and a refusal carries Kubernetes' reason.
 * https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod
 *
 * Following is done by the page asking again every FOLLOW_INTERVAL_MS for the lines since the last
 * one it holds, never by holding a `follow=true` stream open here: each answer is bounded in lines,
 * bytes and time like any other read, passes the same sign-in and RBAC checks (a sign-out or a
 * removed RoleBinding stops it at the next poll), needs nothing special from proxies in front of
 * the console, and a paused or hidden tab costs nothing.
 */
import { z } from "zod";
import type { PodContainer, PodDetails, PodLog } from "@/lib/api/logs";
import { splitLogText } from "@/lib/logs/logLines";
import { MAX_LOG_BYTES, type PodLogQuery } from "@/lib/logs/logQuery";
import { assertNamespaceAccess } from "@/server/auth/namespaceAccess";
import { kube, kubeCall } from "@/server/kube";
import { summarizePod } from "@/server/mesh/pods";

const SIDECAR = "istio-proxy";
/** https://kubernetes.io/docs/reference/labels-annotations-taints/#kubectl-kubernetes-io-default-container */
const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

const podContainersSchema = z.object({
  metadata: z.object({ annotations: z.record(z.string(), z.string()).nullish() }),
  spec: z
    .object({
      containers: z.array(z.object({ name: z.string() })).default([]),
      initContainers: z.array(z.object({ name: z.string(), restartPolicy: z.string().nullish() })).nullish(),
    })
    .nullish(),
});

/** The pod's containers for the picker: app containers first, then Envoy, then init containers. */
export function containersOf(raw: unknown): { containers: PodContainer[]; defaultContainer: string | null } {
  const pod = podContainersSchema.parse(raw);
  const containers: PodContainer[] = (pod.spec?.containers ?? []).map((container) => ({ name: container.name, role: container.name === SIDECAR ? "sidecar" : "app" }));
  for (const container of pod.spec?.initContainers ?? []) {
    // A native sidecar (Istio ≥ 1.19 on Kubernetes ≥ 1.29) is an init container that keeps running.
    const role = container.name === SIDECAR && container.restartPolicy === "Always" ? "sidecar" : "init";
    containers.push({ name: container.name, role });
  }
  const order: Record<PodContainer["role"], number> = { app: 0, sidecar: 1, init: 2 };
  containers.sort((a, b) => order[a.role] - order[b.role]);
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  const defaultContainer = containers.find((container) => container.name === annotated)?.name ?? containers.find((container) => container.role === "app")?.name ?? containers[0]?.name ?? null;
  return { containers, defaultContainer };
}

export async function readPodDetails(namespace: string, name: string): Promise<PodDetails> {
  await assertNamespaceAccess(namespace);
  const clients = kube();
  const raw = await kubeCall(clients, "read_pod", `read pod ${namespace}/${name}`, () => clients.core.readNamespacedPod({ namespace, name }));
  const summary = summarizePod(raw);
  return { pod: { ...summary, namespace: summary.namespace || namespace }, ...containersOf(raw) };
}

/**
 * No namespace check of the console's own first: the read is made with the person's token, so
 * Kubernetes RBAC on `pods/log` decides and its refusal names exactly what is missing.
 */
export async function readPodLog(namespace: string, pod: string, query: PodLogQuery): Promise<PodLog> {
  const clients = kube();
  const body = await kubeCall(clients, "read_pod_log", `read the log of container ${query.container} in pod ${namespace}/${pod} (pods/log)`, () =>
    clients.core.readNamespacedPodLog({
      namespace,
      name: pod,
      container: query.container,
      tailLines: query.tailLines,
      sinceSeconds: query.sinceSeconds,
      limitBytes: MAX_LOG_BYTES,
      timestamps: true,
    }),
  );
  const text = typeof body === "string" ? body : "";
  const lines = splitLogText(text);
  return {
    namespace,
    pod,
    container: query.container,
    lines,
    cutAtBytes: Buffer.byteLength(text, "utf8") >= MAX_LOG_BYTES,
    atTailLimit: lines.length >= query.tailLines,
  };
}
