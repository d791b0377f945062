/**
 * Lists of Kubernetes objects across a set of namespaces (or the whole cluster when none is
 * chosen), with the minimal shapes the console's lists show.
 */
import { z } from "zod";
import { ISTIO_KINDS } from "@/lib/istioKinds";
import type { IstioObjectSummary, ServiceSummary, WorkloadSummary } from "@/lib/mesh";
import { kube, kubeCall } from "@/server/kube";

const metadataSchema = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).nullish(),
  creationTimestamp: z.union([z.string(), z.date()]).nullish(),
});

const serviceSchema = z.object({
  metadata: metadataSchema,
  spec: z
    .object({
      selector: z.record(z.string(), z.string()).nullish(),
      ports: z.array(z.object({ name: z.string().nullish(), port: z.number(), protocol: z.string().nullish(), appProtocol: z.string().nullish() })).nullish(),
    })
    .nullish(),
});

const deploymentSchema = z.object({
  metadata: metadataSchema,
  spec: z.object({ replicas: z.number().nullish(), template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()).nullish() }).nullish() }) }).nullish(),
  status: z.object({ readyReplicas: z.number().nullish() }).nullish(),
});

const customListSchema = z.object({ items: z.array(z.object({ metadata: metadataSchema })) });

function timestamp(value: string | Date | null | undefined): string | null {
  if (!value) return null;
  return value instanceof Date ? value.toISOString() : value;
}

async function perNamespace<T>(namespaces: string[], all: () => Promise<T[]>, one: (namespace: string) => Promise<T[]>): Promise<T[]> {
  if (namespaces.length === 0) return all();
  return (await Promise.all(namespaces.map(one))).flat();
}

const byNamespaceThenName = <T extends { namespace: string; name: string }>(a: T, b: T) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

export function summarizeService(raw: unknown): ServiceSummary {
  const service = serviceSchema.parse(raw);
  return {
    name: service.metadata.name,
    namespace: service.metadata.namespace ?? "",
    labels: service.metadata.labels ?? {},
    selector: service.spec?.selector ?? {},
    ports: (service.spec?.ports ?? []).map((port) => ({ name: port.name ?? null, port: port.port, protocol: port.protocol ?? "TCP", appProtocol: port.appProtocol ?? null })),
  };
}

export function summarizeDeployment(raw: unknown): WorkloadSummary {
  const deployment = deploymentSchema.parse(raw);
  const labels = deployment.spec?.template.metadata?.labels ?? {};
  return {
    name: deployment.metadata.name,
    namespace: deployment.metadata.namespace ?? "",
    kind: "Deployment",
    app: labels.app ?? null,
    version: labels.version ?? null,
    labels,
    desiredReplicas: deployment.spec?.replicas ?? 1,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
  };
}

export async function listServices(namespaces: string[]): Promise<ServiceSummary[]> {
  const clients = kube();
  const items = await perNamespace(
    namespaces,
    async () => (await kubeCall(clients, "list_services", "list services", () => clients.core.listServiceForAllNamespaces())).items,
    async (namespace) => (await kubeCall(clients, "list_services", `list services in ${namespace}`, () => clients.core.listNamespacedService({ namespace }))).items,
  );
  return items.map(summarizeService).sort(byNamespaceThenName);
}

export async function listWorkloads(namespaces: string[]): Promise<WorkloadSummary[]> {
  const clients = kube();
  const items = await perNamespace(
    namespaces,
    async () => (await kubeCall(clients, "list_deployments", "list deployments", () => clients.apps.listDeploymentForAllNamespaces())).items,
    async (namespace) => (await kubeCall(clients, "list_deployments", `list deployments in ${namespace}`, () => clients.apps.listNamespacedDeployment({ namespace }))).items,
  );
  return items.map(summarizeDeployment).sort(byNamespaceThenName);
}

export async function listIstioConfig(namespaces: string[]): Promise<IstioObjectSummary[]> {
  const clients = kube();
  const perKind = await Promise.all(
    ISTIO_KINDS.map(async ({ kind, group, version, plural }) => {
      const items = await perNamespace(
        namespaces,
        async () => customListSchema.parse(await kubeCall(clients, "list_istio", `list ${plural}.${group}`, () => clients.custom.listClusterCustomObject({ group, version, plural }))).items,
        async (namespace) =>
          customListSchema.parse(await kubeCall(clients, "list_istio", `list ${plural}.${group} in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ group, version, plural, namespace }))).items,
      );
      return items.map((item) => ({ kind, namespace: item.metadata.namespace ?? "", name: item.metadata.name, createdAt: timestamp(item.metadata.creationTimestamp) }));
    }),
  );
  return perKind.flat().sort((a, b) => byNamespaceThenName(a, b) || a.kind.localeCompare(b.kind));
}
