/**
 * Ambient mode for the wizards: which data plane a service has and which waypoint serves it
 * (lib/routing/ambient.ts decides), read fresh with the person's own token; and enrolling the
 * Service in a waypoint by its `istio.io/use-waypoint` label. The enrolment is written as every
 * change is: at the resourceVersion the person saw, a server-side dry run for the preview, and
 * nothing else touched (only the Service's labels change).
 */
import { stringify } from "yaml";
import { z } from "zod";
import { WAYPOINT_GATEWAY_CLASS } from "@/lib/istio/ambient";
import { enrolledLabels, serviceAmbient, type ServiceAmbient, type WaypointEnrolmentInput, type WaypointEnrolmentResult, type WaypointGateway } from "@/lib/routing/ambient";
import { BadRequestError } from "@/server/http/errors";
import { kubeCall, KubeError, type KubeClients } from "@/server/kube";
import { changedBySomeoneElse, refuseInViewOnly } from "@/server/kube/writes";
import { summarizePod } from "@/server/mesh/pods";
import type { ServiceRef } from "./istioObjects";
import { serviceObjectSchema, type ServiceObject } from "./versionServices";
import type { RoutingDeps } from "./wizards";

const namespaceSchema = z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()).nullish() }) });
const gatewayListSchema = z.object({
  items: z.array(z.object({ metadata: z.object({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).nullish() }), spec: z.looseObject({ gatewayClassName: z.string() }) })),
});

async function waypointsIn(clients: KubeClients, namespace: string): Promise<WaypointGateway[]> {
  try {
    const raw = await kubeCall(clients, "list_gateway_api", `list gateways in ${namespace}`, () => clients.custom.listNamespacedCustomObject({ group: "gateway.networking.k8s.io", version: "v1", plural: "gateways", namespace }));
    return gatewayListSchema
      .parse(raw)
      .items.filter((gateway) => gateway.spec.gatewayClassName === WAYPOINT_GATEWAY_CLASS)
      .map((gateway) => ({ namespace: gateway.metadata.namespace ?? namespace, name: gateway.metadata.name, labels: gateway.metadata.labels ?? {} }));
  } catch (error) {
    // A cluster without the Gateway API has no waypoints.
    if (error instanceof KubeError && error.failure === "not-found") return [];
    throw error;
  }
}

function labelSelector(selector: Readonly<Record<string, string>>): string {
  return Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}

export async function readServiceAmbient(clients: KubeClients, ref: ServiceRef, service: ServiceObject): Promise<ServiceAmbient> {
  const selector = service.spec?.selector ?? {};
  const [namespace, waypoints, pods] = await Promise.all([
    kubeCall(clients, "read_namespace", `read namespace ${ref.namespace}`, () => clients.core.readNamespace({ name: ref.namespace })),
    waypointsIn(clients, ref.namespace),
    Object.keys(selector).length === 0
      ? Promise.resolve({ items: [] as unknown[] })
      : kubeCall(clients, "list_pods", `list pods of ${ref.namespace}/${ref.service}`, () => clients.core.listNamespacedPod({ namespace: ref.namespace, labelSelector: labelSelector(selector) })),
  ]);
  const summaries = pods.items.map(summarizePod);
  return {
    ...serviceAmbient({
      namespace: ref.namespace,
      service: ref.service,
      namespaceLabels: namespaceSchema.parse(namespace).metadata.labels ?? {},
      serviceLabels: service.metadata.labels ?? {},
      workloadLabels: summaries.map((pod) => pod.labels),
      sidecarPods: summaries.filter((pod) => pod.hasSidecar).length,
      waypoints,
    }),
    serviceResourceVersion: service.metadata.resourceVersion ?? "",
  };
}

/** The Service as YAML, its status left out: what the preview compares. */
function serviceYaml(service: ServiceObject): string {
  const { status: _status, ...rest } = service as ServiceObject & { status?: unknown };
  const { managedFields: _managed, ...metadata } = rest.metadata as ServiceObject["metadata"] & { managedFields?: unknown };
  return stringify({ ...rest, metadata }, { lineWidth: 0 });
}

/**
 * Enrols the Service in a waypoint of its namespace. Refused unless the service is in ambient
 * mode, the waypoint exists and takes Service traffic, and the Service is still at the
 * resourceVersion the person saw.
 */
export async function enrolInWaypoint(deps: RoutingDeps, ref: ServiceRef, input: WaypointEnrolmentInput): Promise<WaypointEnrolmentResult> {
  refuseInViewOnly(deps.viewOnly);
  const { clients } = deps;
  const serviceRef = { kind: "Service", namespace: ref.namespace, name: ref.service };
  const service = serviceObjectSchema.parse(await kubeCall(clients, "read_service", `read service ${ref.namespace}/${ref.service}`, () => clients.core.readNamespacedService({ name: ref.service, namespace: ref.namespace })));
  if ((service.metadata.resourceVersion ?? "") !== input.resourceVersion) throw changedBySomeoneElse(serviceRef, "changed");
  const ambient = await readServiceAmbient(clients, ref, service);
  if (ambient.dataPlane !== "ambient" && ambient.dataPlane !== "ambient-waypoint") {
    throw new BadRequestError(`${ref.namespace}/${ref.service} is not in ambient mode (its data plane is ${ambient.dataPlane}); a waypoint serves only ambient workloads`, 422);
  }
  const waypoint = ambient.candidates.find((candidate) => candidate.name === input.waypoint);
  if (!waypoint) {
    const offered = ambient.candidates.map((candidate) => candidate.name).join(", ");
    throw new BadRequestError(`No waypoint ${input.waypoint} takes Service traffic in ${ref.namespace}${offered ? `; choose one of ${offered}` : "; deploy one first (a Gateway of class istio-waypoint)"}`, 422);
  }
  const changed: ServiceObject = { ...service, metadata: { ...service.metadata, labels: enrolledLabels(ref.namespace, service.metadata.labels ?? {}, waypoint) } };
  const body = changed as Parameters<KubeClients["core"]["replaceNamespacedService"]>[0]["body"];
  try {
    const written = serviceObjectSchema.parse(
      await kubeCall(clients, "replace_service", `${input.dryRun ? "check " : ""}enrol Service ${ref.namespace}/${ref.service} in waypoint ${waypoint.name}`, () =>
        clients.core.replaceNamespacedService({ name: ref.service, namespace: ref.namespace, body, ...(input.dryRun ? { dryRun: "All" } : {}) }),
      ),
    );
    return { dryRun: input.dryRun, before: serviceYaml(service), after: serviceYaml({ ...written, metadata: { ...written.metadata, resourceVersion: input.dryRun ? service.metadata.resourceVersion : written.metadata.resourceVersion } }), resourceVersion: written.metadata.resourceVersion ?? "" };
  } catch (error) {
    if (error instanceof KubeError && error.failure === "conflict") throw changedBySomeoneElse(serviceRef, "changed");
    if (error instanceof KubeError && error.failure === "forbidden") throw new KubeError("forbidden", `Your account may not update Services in ${ref.namespace} (the Kubernetes API answered 403); enrolling a Service in a waypoint sets its ${"istio.io/use-waypoint"} label`, 403, error.causes);
    throw error;
  }
}
