/**
 * Lists of Kubernetes objects across a set of namespaces (or the whole cluster when none is
 * chosen), with the minimal shapes the console's lists show.
 */
import { z } from "zod";
import { reportedStatusOf } from "@/lib/gatewayApi/reportedStatus";
import { GATEWAY_API_GROUP, ISTIO_KINDS, type IstioKind } from "@/lib/istioKinds";
import { dataPlaneOf, workloadWaypoint, type AppSummary, type IstioObjectSummary, type ServiceSummary, type WorkloadSummary } from "@/lib/mesh";
import { kube, kubeCall, KubeError } from "@/server/kube";
import { DEFAULT_CANONICAL_REVISION, versionOfPodLabels } from "@/server/telemetry/version";
import { meshRoleOf } from "@/server/telemetry/systemWorkloads";
import { readDataPlaneFacts, type DataPlaneFacts } from "./dataPlane";
import { selectorMatches, summarizePod, type PodSummary } from "./pods";

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
  spec: z.object({ replicas: z.number().nullish(), selector: z.object({ matchLabels: z.record(z.string(), z.string()).nullish() }).nullish(), template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()).nullish() }).nullish() }) }).nullish(),
  status: z.object({ readyReplicas: z.number().nullish() }).nullish(),
});

// passthrough: the Gateway API kinds' status is read from the same items.
const customListSchema = z.object({ items: z.array(z.object({ metadata: metadataSchema }).passthrough()) });

function timestamp(value: string | Date | null | undefined): string | null {
  if (!value) return null;
  return value instanceof Date ? value.toISOString() : value;
}

/** Items from each of `namespaces`, or from the whole cluster when none is given. */
export async function perNamespace<T>(namespaces: readonly string[], all: () => Promise<T[]>, one: (namespace: string) => Promise<T[]>): Promise<T[]> {
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

/** A Deployment with the pods its selector picks; `dataPlane` facts say whether it is in ambient mode. */
export function summarizeDeployment(raw: unknown, pods: readonly PodSummary[], facts?: DataPlaneFacts): WorkloadSummary {
  const deployment = deploymentSchema.parse(raw);
  const labels = deployment.spec?.template.metadata?.labels ?? {};
  const selector = deployment.spec?.selector?.matchLabels ?? {};
  const namespace = deployment.metadata.namespace ?? "";
  const own = pods.filter((pod) => pod.namespace === namespace && selectorMatches(selector, pod.labels));
  const meshRole = meshRoleOf(deployment.metadata.name, labels, (gateway) => facts?.waypointGateways.has(`${namespace}/${gateway}`) ?? false);
  const sidecarPods = own.filter((pod) => pod.hasSidecar).length;
  const namespaceLabels = facts?.namespaceLabels.get(namespace) ?? {};
  const waypoint = facts && meshRole === "application" ? workloadWaypoint(namespace, labels, namespaceLabels, facts.services.filter((service) => service.namespace === namespace)) : null;
  return {
    name: deployment.metadata.name,
    namespace: deployment.metadata.namespace ?? "",
    kind: "Deployment",
    app: labels.app ?? null,
    // As Istio names the version (canonical revision). The mesh's own workloads need no version
    // label: they are shown with the revision Istio reports for them rather than as missing one.
    version: versionOfPodLabels(labels) ?? (meshRole === "application" ? null : DEFAULT_CANONICAL_REVISION),
    labels,
    desiredReplicas: deployment.spec?.replicas ?? 1,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
    podCount: own.length,
    sidecarPods,
    proxyVersions: [...new Set(own.flatMap((pod) => (pod.proxyVersion ? [pod.proxyVersion] : [])))].sort(),
    meshRole,
    ...(facts ? { dataPlane: dataPlaneOf({ sidecarPods, namespaceLabels, podLabels: labels, waypoint }), waypoint } : {}),
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

export async function listPods(namespaces: string[]): Promise<PodSummary[]> {
  const clients = kube();
  const items = await perNamespace(
    namespaces,
    async () => (await kubeCall(clients, "list_pods", "list pods", () => clients.core.listPodForAllNamespaces())).items,
    async (namespace) => (await kubeCall(clients, "list_pods", `list pods in ${namespace}`, () => clients.core.listNamespacedPod({ namespace }))).items,
  );
  return items.map(summarizePod).sort(byNamespaceThenName);
}

export async function listWorkloads(namespaces: string[]): Promise<WorkloadSummary[]> {
  const clients = kube();
  const [items, pods, facts] = await Promise.all([
    perNamespace(
      namespaces,
      async () => (await kubeCall(clients, "list_deployments", "list deployments", () => clients.apps.listDeploymentForAllNamespaces())).items,
      async (namespace) => (await kubeCall(clients, "list_deployments", `list deployments in ${namespace}`, () => clients.apps.listNamespacedDeployment({ namespace }))).items,
    ),
    listPods(namespaces),
    listServices(namespaces).then((services) => readDataPlaneFacts(namespaces, services)),
  ]);
  return items.map((item) => summarizeDeployment(item, pods, facts)).sort(byNamespaceThenName);
}

/** Applications from the workloads' `app` labels, with the services whose selectors reach them. */
export function groupApps(workloads: readonly WorkloadSummary[], services: readonly ServiceSummary[]): AppSummary[] {
  const apps = new Map<string, AppSummary>();
  for (const workload of workloads) {
    if (!workload.app) continue;
    const key = `${workload.namespace}/${workload.app}`;
    const app = apps.get(key) ?? { name: workload.app, namespace: workload.namespace, versions: [], workloads: [], services: [] };
    if (workload.version && !app.versions.includes(workload.version)) app.versions.push(workload.version);
    app.workloads.push(workload.name);
    for (const service of services) {
      if (service.namespace === workload.namespace && selectorMatches(service.selector, workload.labels) && !app.services.includes(service.name)) app.services.push(service.name);
    }
    apps.set(key, app);
  }
  return [...apps.values()].map((app) => ({ ...app, versions: app.versions.sort(), workloads: app.workloads.sort(), services: app.services.sort() })).sort(byNamespaceThenName);
}

export async function listApps(namespaces: string[]): Promise<AppSummary[]> {
  const [workloads, services] = await Promise.all([listWorkloads(namespaces), listServices(namespaces)]);
  return groupApps(workloads, services);
}

export interface IstioConfigList {
  readonly objects: IstioObjectSummary[];
  /** Kinds whose API the cluster does not serve (a 404 on their list: the Gateway API CRDs are not installed). */
  readonly unservedKinds: IstioKind[];
}

/**
 * Every Istio and Gateway API object of `namespaces`. Cluster-scoped kinds (GatewayClass) are listed
 * whatever the namespaces, with namespace "". A kind whose CRD is not installed is left out and named.
 */
export async function listIstioConfig(namespaces: string[]): Promise<IstioConfigList> {
  const clients = kube();
  const unservedKinds: IstioKind[] = [];
  const perKind = await Promise.all(
    ISTIO_KINDS.map(async (info) => {
      const { kind, group, version, plural } = info;
      const listAll = async () => customListSchema.parse(await kubeCall(clients, "list_istio", `list ${plural}.${group}`, () => clients.custom.listClusterCustomObject({ group, version, plural }))).items;
      let items: z.infer<typeof customListSchema>["items"];
      try {
        items = info.namespaced
          ? await perNamespace(namespaces, listAll, async (namespace) =>
              customListSchema.parse(await kubeCall(clients, "list_istio", `list ${plural}.${group} in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ group, version, plural, namespace }))).items,
            )
          : await listAll();
      } catch (error) {
        if (info.group === GATEWAY_API_GROUP && error instanceof KubeError && error.failure === "not-found") {
          unservedKinds.push(kind);
          return [];
        }
        // Reading a cluster-scoped kind needs a cluster-wide grant a namespace reader may lack; their namespaces still list.
        if (!info.namespaced && error instanceof KubeError && error.failure === "forbidden") return [];
        throw error;
      }
      return items.map((item) => ({
        kind,
        namespace: item.metadata.namespace ?? "",
        name: item.metadata.name,
        createdAt: timestamp(item.metadata.creationTimestamp),
        ...(info.group === GATEWAY_API_GROUP ? { reported: reportedSummary(info.apiKind, item) } : {}),
      }));
    }),
  );
  return { objects: perKind.flat().sort((a, b) => byNamespaceThenName(a, b) || a.kind.localeCompare(b.kind)), unservedKinds: unservedKinds.sort() };
}

function reportedSummary(apiKind: string, item: unknown): IstioObjectSummary["reported"] {
  const { state, summary } = reportedStatusOf(apiKind, item);
  return { state, summary };
}
