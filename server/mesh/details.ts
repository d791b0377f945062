/**
 * What a detail page shows about one service, workload or app besides its metrics: the workloads
 * and services it is made of, their pods, and the Istio config that applies to it.
 */
import { serviceFqdn } from "@/lib/istio/host";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import { routesForServices } from "@/lib/gatewayApi/routesForService";
import { GATEWAY_API_GROUP, ISTIO_KINDS } from "@/lib/istioKinds";
import { waypointEnrolment } from "@/lib/istio/ambient";
import type { ObjectDetails, WaypointRef, WorkloadSummary } from "@/lib/mesh";
import { assertNamespaceAccess, authorizedNamespaces } from "@/server/auth/namespaceAccess";
import { kube, kubeCall, KubeError } from "@/server/kube";
import { listNamespaces } from "./namespaces";
import { listPods, listServices, listWorkloads, perNamespace } from "./objects";
import { selectorMatches } from "./pods";
import { relatedConfig } from "./relatedConfig";

const RELATED_KINDS = ISTIO_KINDS.filter((kind) => ["VirtualService", "DestinationRule", "Gateway", "PeerAuthentication", "AuthorizationPolicy"].includes(kind.kind));

/**
 * Istio objects that may apply, from `namespaces` (empty: the whole cluster). Related config can sit
 * in any namespace (a VirtualService routing to this host, a mesh-wide policy in the root
 * namespace), but a person bound only by RoleBindings may not list cluster-wide: they are shown
 * what lies in the namespaces they may read.
 */
async function istioObjectsForRelations(namespaces: readonly string[]): Promise<unknown[]> {
  const clients = kube();
  const lists = await Promise.all(
    RELATED_KINDS.map(async ({ kind, group, version, plural }) => {
      const items = await perNamespace(
        namespaces,
        async () => ((await kubeCall(clients, "list_istio", `list ${plural}.${group}`, () => clients.custom.listClusterCustomObject({ group, version, plural }))) as { items?: unknown[] }).items ?? [],
        async (namespace) =>
          ((await kubeCall(clients, "list_istio", `list ${plural}.${group} in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ group, version, plural, namespace }))) as { items?: unknown[] }).items ?? [],
      );
      // List items carry no kind of their own; the list's kind says what they are.
      return items.map((item) => ({ ...(item as object), kind }));
    }),
  );
  return lists.flat();
}

const ROUTE_KINDS = ISTIO_KINDS.filter((info) => info.group === GATEWAY_API_GROUP && ["K8sGateway", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"].includes(info.kind));

/** The Gateway API routes and Gateways the person may read, each with its API kind; none when the cluster does not serve the Gateway API. */
async function gatewayApiObjects(namespaces: readonly string[]): Promise<unknown[]> {
  const clients = kube();
  const lists = await Promise.all(
    ROUTE_KINDS.map(async ({ apiKind, group, version, plural }) => {
      try {
        const items = await perNamespace(
          namespaces,
          async () => ((await kubeCall(clients, "list_istio", `list ${plural}.${group}`, () => clients.custom.listClusterCustomObject({ group, version, plural }))) as { items?: unknown[] }).items ?? [],
          async (namespace) =>
            ((await kubeCall(clients, "list_istio", `list ${plural}.${group} in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ group, version, plural, namespace }))) as { items?: unknown[] }).items ?? [],
        );
        return items.map((item) => ({ ...(item as object), apiVersion: `${group}/${version}`, kind: apiKind }));
      } catch (error) {
        // A 404 on the group: the Gateway API CRDs are not installed, so no route applies.
        if (error instanceof KubeError && error.failure === "not-found") return [];
        throw error;
      }
    }),
  );
  return lists.flat();
}

/** The waypoint a Service is enrolled to, by its labels or its namespace's (namespace labels read as the namespace list reads them). */
async function serviceWaypoint(namespace: string, serviceLabels: Readonly<Record<string, string>>): Promise<WaypointRef | null> {
  const namespaceLabels = (await listNamespaces().catch(() => [])).find((candidate) => candidate.name === namespace)?.labels ?? {};
  const enrolment = waypointEnrolment(serviceLabels, namespaceLabels, namespace);
  return enrolment ? { namespace: enrolment.namespace, name: enrolment.name } : null;
}

function versionsOf(workloads: readonly WorkloadSummary[]): string[] {
  return [...new Set(workloads.flatMap((workload) => (workload.version ? [workload.version] : [])))].sort();
}

/** The object's details; reads its namespace and, for related config, every namespace the person may read. */
export async function objectDetails(kind: ObjectDetails["kind"], namespace: string, name: string): Promise<ObjectDetails> {
  await assertNamespaceAccess(namespace);
  const readable = await authorizedNamespaces([]);
  const [services, workloads, pods, istioObjects, routeObjects] = await Promise.all([
    listServices([namespace]),
    listWorkloads([namespace]),
    listPods([namespace]),
    istioObjectsForRelations(readable),
    gatewayApiObjects(readable),
  ]);

  let ownWorkloads: WorkloadSummary[];
  let ownServices: typeof services;
  let labels: Record<string, string>;
  if (kind === "service") {
    const service = services.find((item) => item.name === name);
    if (!service) throw new KubeError("not-found", `Service ${namespace}/${name} does not exist`, 404);
    ownServices = [service];
    ownWorkloads = workloads.filter((workload) => selectorMatches(service.selector, workload.labels));
    labels = service.labels;
  } else if (kind === "workload") {
    const workload = workloads.find((item) => item.name === name);
    if (!workload) throw new KubeError("not-found", `Workload ${namespace}/${name} does not exist`, 404);
    ownWorkloads = [workload];
    ownServices = services.filter((service) => selectorMatches(service.selector, workload.labels));
    labels = workload.labels;
  } else {
    ownWorkloads = workloads.filter((workload) => workload.app === name);
    if (ownWorkloads.length === 0) throw new KubeError("not-found", `No workload in ${namespace} has the label app=${name}`, 404);
    ownServices = services.filter((service) => ownWorkloads.some((workload) => selectorMatches(service.selector, workload.labels)));
    labels = { app: name };
  }

  const ownPods = pods.filter((pod) => ownWorkloads.some((workload) => selectorMatches(workload.labels, pod.labels)));
  // A Service is served by the waypoint it (or its namespace) is enrolled to; a workload or app by its pods' or Services' (listWorkloads).
  const waypoint = kind === "service" ? await serviceWaypoint(namespace, labels) : (ownWorkloads.find((workload) => workload.waypoint)?.waypoint ?? null);
  const dataPlanes = [...new Set(ownWorkloads.flatMap((workload) => (workload.meshRole === "application" && workload.dataPlane ? [workload.dataPlane] : [])))].sort();
  return {
    kind,
    namespace,
    name,
    labels,
    versions: versionsOf(ownWorkloads),
    services: ownServices.map((service) => service.name),
    workloads: ownWorkloads.map((workload) => workload.name),
    pods: ownPods,
    dataPlanes,
    waypoint,
    related: relatedConfig({
      serviceHosts: ownServices.map((service) => serviceFqdn(service.name, namespace)),
      namespace,
      workloadLabels: ownPods.map((pod) => pod.labels),
      rootNamespace: MESH_ROOT_NAMESPACE,
      istioObjects,
      serviceNames: ownServices.map((service) => service.name),
      waypoints: waypoint ? [waypoint] : [],
    }),
    gatewayRoutes: routesForServices(ownServices, services, routeObjects),
  };
}
