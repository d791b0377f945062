/**
 * What a pod tells about its place in the mesh: the workload Istio reports it under, whether it
 * runs the Envoy sidecar, which proxy version (from the istio-proxy image tag), and whether it is
 * up. The one reading of a pod for the detail pages and the graph.
 * Sidecars are a container named istio-proxy, or since Istio 1.19 with native sidecars an init
 * container of that name with restartPolicy Always.
 */
import { z } from "zod";
import { isEmptySelector, selectorMatches as labelsMatch } from "@/server/validation/labels";

const containerSchema = z.object({ name: z.string(), image: z.string().nullish(), restartPolicy: z.string().nullish() });

export const podObjectSchema = z.object({
  metadata: z.object({
    name: z.string(),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).nullish(),
    ownerReferences: z.array(z.object({ kind: z.string(), name: z.string() })).nullish(),
  }),
  spec: z.object({ containers: z.array(containerSchema).default([]), initContainers: z.array(containerSchema).nullish() }).nullish(),
  status: z
    .object({
      phase: z.string().nullish(),
      containerStatuses: z.array(z.object({ name: z.string(), ready: z.boolean().nullish(), restartCount: z.number().nullish() })).nullish(),
    })
    .nullish(),
});

export interface PodSummary {
  name: string;
  namespace: string;
  /** The workload Istio reports for the pod: its Deployment (owner ReplicaSet minus the template hash), else its owner, else the pod. */
  workload: string;
  labels: Record<string, string>;
  phase: string;
  ready: boolean;
  restarts: number;
  hasSidecar: boolean;
  proxyVersion: string | null;
}

const SIDECAR = "istio-proxy";

function imageTag(image: string | null | undefined): string | null {
  if (!image) return null;
  const withoutDigest = image.split("@")[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  return colon >= 0 ? withoutDigest.slice(colon + 1) : null;
}

function workloadOf(pod: z.infer<typeof podObjectSchema>): string {
  const owner = pod.metadata.ownerReferences?.[0];
  const hash = pod.metadata.labels?.["pod-template-hash"];
  const workload = owner?.name ?? pod.metadata.name;
  return owner?.kind === "ReplicaSet" && hash && workload.endsWith(`-${hash}`) ? workload.slice(0, -hash.length - 1) : workload;
}

export function summarizePod(raw: unknown): PodSummary {
  const pod = podObjectSchema.parse(raw);
  const containers = pod.spec?.containers ?? [];
  const nativeSidecars = (pod.spec?.initContainers ?? []).filter((container) => container.restartPolicy === "Always");
  const sidecar = [...containers, ...nativeSidecars].find((container) => container.name === SIDECAR);
  const statuses = pod.status?.containerStatuses ?? [];
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? "",
    workload: workloadOf(pod),
    labels: pod.metadata.labels ?? {},
    phase: pod.status?.phase ?? "Unknown",
    ready: statuses.length > 0 && statuses.every((status) => status.ready === true),
    restarts: statuses.reduce((sum, status) => sum + (status.restartCount ?? 0), 0),
    hasSidecar: sidecar !== undefined,
    proxyVersion: imageTag(sidecar?.image),
  };
}

/** A Deployment's or Service's selector: unlike a workload selector, an empty one picks no pod. */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return !isEmptySelector(selector) && labelsMatch(selector, labels);
}
