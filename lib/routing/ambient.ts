/**
 * The wizards for a service in Istio's ambient mode. L7 features (HTTPRoute or VirtualService
 * routing, weights, faults, retries) are applied by a waypoint; without one, ztunnel carries the
 * service's traffic at L4 and ignores them (https://istio.io/latest/docs/ambient/usage/l7-features/).
 * So the wizards say which case applies, and offer to enrol the Service in a waypoint of its
 * namespace by its `istio.io/use-waypoint` label, which is how Istio enrols a Service
 * (https://istio.io/latest/docs/ambient/usage/waypoint/#configure-a-service-to-use-a-specific-waypoint).
 */
import { z } from "zod";
import { ambientRequested, NO_WAYPOINT, USE_WAYPOINT_LABEL, USE_WAYPOINT_NAMESPACE_LABEL, waypointEnrolment, waypointServes, waypointTrafficType } from "@/lib/istio/ambient";
import { namespaceNameSchema } from "@/lib/kubeNames";
import { dataPlaneSchema, waypointRefSchema, type DataPlane, type WaypointRef } from "@/lib/mesh";

type Labels = Readonly<Record<string, string>>;

export const serviceAmbientSchema = z.object({
  /** The data plane of the service's workloads, as the lists say it (lib/mesh.ts). */
  dataPlane: dataPlaneSchema,
  /** The waypoint the Service is enrolled to, when it is in ambient mode. */
  waypoint: waypointRefSchema.nullable(),
  /** Waypoints of the namespace that take traffic addressed to Services: what the Service may be enrolled to. */
  candidates: z.array(waypointRefSchema),
  /** Why L7 routing cannot apply, or null when it can. */
  l7Blocked: z.string().nullable(),
  /** The Service's resourceVersion as read, which an enrolment sends back. */
  serviceResourceVersion: z.string().optional(),
});
export type ServiceAmbient = z.infer<typeof serviceAmbientSchema>;

export interface WaypointGateway {
  namespace: string;
  name: string;
  labels: Labels;
}

/**
 * A service's data plane: a sidecar when any of its pods has one (L7 runs in the sidecars), else
 * ambient when its pods are captured by ztunnel, with the waypoint its own label or its namespace's
 * names; `none` when the mesh does not carry it at all.
 */
export function serviceAmbient(input: {
  namespace: string;
  service: string;
  namespaceLabels: Labels;
  serviceLabels: Labels;
  /** The pod template labels of the workloads the Service selects. */
  workloadLabels: readonly Labels[];
  sidecarPods: number;
  waypoints: readonly WaypointGateway[];
}): ServiceAmbient {
  const candidates = input.waypoints
    .filter((gateway) => gateway.namespace === input.namespace)
    .filter((gateway) => {
      const type = waypointTrafficType(gateway.labels);
      return type !== undefined && waypointServes(type, "service");
    })
    .map(({ namespace, name }) => ({ namespace, name }));
  const captured = input.workloadLabels.length > 0 ? input.workloadLabels.some((labels) => ambientRequested(input.namespaceLabels, labels).requested) : input.namespaceLabels["istio.io/dataplane-mode"] === "ambient";
  if (input.sidecarPods > 0 || !captured) {
    const dataPlane: DataPlane = input.sidecarPods > 0 ? "sidecar" : "none";
    return { dataPlane, waypoint: null, candidates, l7Blocked: null };
  }
  const enrolment = waypointEnrolment(input.serviceLabels, input.namespaceLabels, input.namespace);
  const waypoint: WaypointRef | null = enrolment ? { namespace: enrolment.namespace, name: enrolment.name } : null;
  if (waypoint) return { dataPlane: "ambient-waypoint", waypoint, candidates, l7Blocked: null };
  const optedOut = input.serviceLabels[USE_WAYPOINT_LABEL] === NO_WAYPOINT;
  return {
    dataPlane: "ambient",
    waypoint: null,
    candidates,
    l7Blocked:
      `${input.service} runs in ambient mode without a waypoint${optedOut ? ` (its ${USE_WAYPOINT_LABEL} label is "${NO_WAYPOINT}")` : ""}: ztunnel carries its traffic at L4 only, ` +
      "so L7 routing (weights, header matches, retries, faults, mirroring) would be written but never applied, and no request metrics are reported for it. " +
      (candidates.length > 0 ? `Enrol it in a waypoint to route it at L7.` : `Deploy a waypoint in ${input.namespace} (istioctl waypoint apply -n ${input.namespace}) and enrol it.`),
  };
}

/** The Service's labels once enrolled in `waypoint`: `istio.io/use-waypoint`, and its namespace when elsewhere. */
export function enrolledLabels(serviceNamespace: string, labels: Labels, waypoint: WaypointRef): Record<string, string> {
  const { [USE_WAYPOINT_NAMESPACE_LABEL]: _previous, ...rest } = labels;
  return { ...rest, [USE_WAYPOINT_LABEL]: waypoint.name, ...(waypoint.namespace !== serviceNamespace ? { [USE_WAYPOINT_NAMESPACE_LABEL]: waypoint.namespace } : {}) };
}

export const waypointEnrolmentInputSchema = z.object({
  /** A Gateway's name, checked as the path's names are before it reaches a Kubernetes URL. */
  waypoint: namespaceNameSchema,
  /** The Service's resourceVersion as the person saw it: a change since then is refused, not overwritten. */
  resourceVersion: z.string().min(1),
  dryRun: z.boolean().default(true),
});
export type WaypointEnrolmentInput = z.infer<typeof waypointEnrolmentInputSchema>;

export const waypointEnrolmentResultSchema = z.object({
  dryRun: z.boolean(),
  before: z.string(),
  after: z.string(),
  resourceVersion: z.string(),
});
export type WaypointEnrolmentResult = z.infer<typeof waypointEnrolmentResultSchema>;
