/**
 * Istio's ambient data plane, as its labels say it: which pods ztunnel captures, which ask for a
 * sidecar, and which waypoint a namespace, Service or pod is enrolled to. Pure label semantics for
 * every reader (validation, pages, the graph); what exists in the cluster is the caller's to look up.
 * https://istio.io/latest/docs/ambient/usage/add-workloads/ and
 * https://istio.io/latest/docs/ambient/usage/waypoint/
 */

type Labels = Readonly<Record<string, string>>;

export const DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode";
export const USE_WAYPOINT_LABEL = "istio.io/use-waypoint";
export const USE_WAYPOINT_NAMESPACE_LABEL = "istio.io/use-waypoint-namespace";
export const WAYPOINT_FOR_LABEL = "istio.io/waypoint-for";
/** The GatewayClass istiod deploys waypoints for. */
export const WAYPOINT_GATEWAY_CLASS = "istio-waypoint";
export const SIDECAR_INJECTION_LABEL = "istio-injection";
export const REVISION_LABEL = "istio.io/rev";
export const SIDECAR_INJECT_OVERRIDE = "sidecar.istio.io/inject";
/** `istio.io/use-waypoint: none` opts a Service or pod out of its namespace's waypoint. */
export const NO_WAYPOINT = "none";

/** What a waypoint takes traffic for: addressed to a Service, to a workload (pod), both, or neither. */
export const WAYPOINT_TRAFFIC_TYPES = ["service", "workload", "all", "none"] as const;
export type WaypointTrafficType = (typeof WAYPOINT_TRAFFIC_TYPES)[number];

/** Where a label was found: on the object itself, or inherited from its namespace. */
export type LabelSource = "object" | "namespace";

/**
 * Whether ztunnel captures a pod: the pod's own `istio.io/dataplane-mode` decides (`ambient` in,
 * `none` out), otherwise its namespace's `ambient`. A pod with a sidecar is never captured; that is
 * for the caller to add (the labels alone cannot say whether injection happened).
 */
export function ambientRequested(namespaceLabels: Labels, podLabels: Labels): { readonly requested: boolean; readonly source?: LabelSource } {
  const own = podLabels[DATAPLANE_MODE_LABEL];
  if (own === "ambient") return { requested: true, source: "object" };
  if (own === "none") return { requested: false, source: "object" };
  if (namespaceLabels[DATAPLANE_MODE_LABEL] === "ambient") return { requested: true, source: "namespace" };
  return { requested: false };
}

/**
 * Whether the injector gives a pod a sidecar: the pod's `sidecar.istio.io/inject` label (or the older
 * annotation) decides when set; otherwise the namespace's `istio-injection=enabled` or `istio.io/rev`,
 * unless the namespace says `istio-injection=disabled`.
 * https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy
 */
export function sidecarInjectionRequested(
  namespaceLabels: Labels,
  podLabels: Labels,
  podAnnotations: Labels,
): { readonly requested: boolean; readonly source?: LabelSource; readonly field?: "labels" | "annotations" } {
  const namespaceInjection = namespaceLabels[SIDECAR_INJECTION_LABEL];
  if (namespaceInjection === "disabled") return { requested: false, source: "namespace" };
  for (const [field, values] of [
    ["labels", podLabels],
    ["annotations", podAnnotations],
  ] as const) {
    const own = values[SIDECAR_INJECT_OVERRIDE];
    if (own === "true") return { requested: true, source: "object", field };
    if (own === "false") return { requested: false, source: "object", field };
  }
  if (namespaceInjection === "enabled" || namespaceLabels[REVISION_LABEL] !== undefined) return { requested: true, source: "namespace" };
  return { requested: false };
}

export interface WaypointEnrolment {
  /** The waypoint (a Gateway) named. */
  readonly name: string;
  /** Where it is looked up: `istio.io/use-waypoint-namespace` beside the label, or the enrolled object's namespace. */
  readonly namespace: string;
  /** Whether `istio.io/use-waypoint-namespace` named the namespace. */
  readonly namespaceExplicit: boolean;
  readonly source: LabelSource;
}

/**
 * The waypoint a Service or pod is enrolled to: its own `istio.io/use-waypoint` wins over its
 * namespace's, and `none` opts out. `istio.io/use-waypoint-namespace` is read from the same place
 * the name came from.
 */
export function waypointEnrolment(objectLabels: Labels, namespaceLabels: Labels, objectNamespace: string): WaypointEnrolment | undefined {
  const own = objectLabels[USE_WAYPOINT_LABEL];
  const source: LabelSource | undefined = own !== undefined ? "object" : namespaceLabels[USE_WAYPOINT_LABEL] !== undefined ? "namespace" : undefined;
  if (!source) return undefined;
  const labels = source === "object" ? objectLabels : namespaceLabels;
  const name = labels[USE_WAYPOINT_LABEL] ?? "";
  if (name === "" || name === NO_WAYPOINT) return undefined;
  const explicitNamespace = labels[USE_WAYPOINT_NAMESPACE_LABEL];
  return { name, namespace: explicitNamespace || objectNamespace, namespaceExplicit: Boolean(explicitNamespace), source };
}

/** A waypoint's `istio.io/waypoint-for` (default `service`); undefined for a value Istio does not know. */
export function waypointTrafficType(gatewayLabels: Labels): WaypointTrafficType | undefined {
  const value = gatewayLabels[WAYPOINT_FOR_LABEL] ?? "service";
  return (WAYPOINT_TRAFFIC_TYPES as readonly string[]).includes(value) ? (value as WaypointTrafficType) : undefined;
}

/** Whether a waypoint of this type takes traffic addressed to a Service (`service`) or to a pod (`workload`). */
export function waypointServes(type: WaypointTrafficType, addressedTo: "service" | "workload"): boolean {
  return type === "all" || type === addressedTo;
}
