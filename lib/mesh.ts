/**
 * What the browser is told about the mesh's Kubernetes objects: small, exact shapes, shared by the
 * API routes that produce them and the components that draw them.
 */
import { z } from "zod";
import { ambientRequested, waypointEnrolment } from "@/lib/istio/ambient";

/** How sidecars get into a namespace: `istio-injection=enabled`, a revision label `istio.io/rev`, or not at all. */
export const sidecarInjectionSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("enabled") }),
  z.object({ mode: z.literal("revision"), revision: z.string() }),
  z.object({ mode: z.literal("disabled") }),
]);

export const namespaceSummarySchema = z.object({
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  injection: sidecarInjectionSchema,
  createdAt: z.string().nullable(),
});

export const namespaceListSchema = z.object({ namespaces: z.array(namespaceSummarySchema) });

export type SidecarInjection = z.infer<typeof sidecarInjectionSchema>;
export type NamespaceSummary = z.infer<typeof namespaceSummarySchema>;

export function injectionFromLabels(labels: Record<string, string>): SidecarInjection {
  const revision = labels["istio.io/rev"];
  if (labels["istio-injection"] === "enabled") return { mode: "enabled" };
  if (revision && labels["istio-injection"] !== "disabled") return { mode: "revision", revision };
  return { mode: "disabled" };
}

export const settingsSchema = z.object({
  defaults: z.object({ refresh: z.string(), window: z.string() }),
  viewOnly: z.boolean(),
  authMode: z.enum(["anonymous", "token", "openid", "header"]),
  prometheusUrl: z.string(),
  links: z.object({ traces: z.array(z.string()), dashboards: z.array(z.string()) }),
});
export type ConsoleSettings = z.infer<typeof settingsSchema>;

export const servicePortSchema = z.object({
  name: z.string().nullable(),
  port: z.number(),
  protocol: z.string(),
  appProtocol: z.string().nullable(),
});

export const serviceSummarySchema = z.object({
  name: z.string(),
  namespace: z.string(),
  labels: z.record(z.string(), z.string()),
  selector: z.record(z.string(), z.string()),
  ports: z.array(servicePortSchema),
});
export const serviceListSchema = z.object({ services: z.array(serviceSummarySchema) });
export type ServiceSummary = z.infer<typeof serviceSummarySchema>;

/**
 * What a workload is to the mesh (server/telemetry/systemWorkloads.ts decides): an application,
 * or one of the mesh's own workloads, which need no sidecar and no app/version labels.
 */
export const meshRoleSchema = z.enum(["application", "control-plane", "gateway", "waypoint"]);
export type MeshRole = z.infer<typeof meshRoleSchema>;

/** Words for the mesh's own roles, in the lists and for screen readers. */
export const MESH_ROLE_LABELS: Record<MeshRole, string> = {
  application: "application",
  "control-plane": "control plane",
  gateway: "gateway",
  waypoint: "waypoint",
};

/**
 * Which data plane carries a workload's traffic: its own Envoy sidecar; Istio's ambient node proxy
 * ztunnel (L4 only); ztunnel plus a waypoint proxy for L7 (routing, L7 policy and request
 * telemetry); or none (outside the mesh). https://istio.io/latest/docs/ambient/overview/
 */
export const DATA_PLANES = ["sidecar", "ambient", "ambient-waypoint", "none"] as const;
export const dataPlaneSchema = z.enum(DATA_PLANES);
export type DataPlane = z.infer<typeof dataPlaneSchema>;

export const DATA_PLANE_LABELS: Record<DataPlane, string> = {
  sidecar: "sidecar",
  ambient: "ambient",
  "ambient-waypoint": "ambient with waypoint",
  none: "none",
};

/** A waypoint (a Gateway of class `istio-waypoint`) by namespace and name. */
export const waypointRefSchema = z.object({ namespace: z.string(), name: z.string() });
export type WaypointRef = z.infer<typeof waypointRefSchema>;

type Labels = Readonly<Record<string, string>>;

/**
 * The waypoint a workload's traffic goes through: its pods' own enrolment (traffic addressed to the
 * workload), else the first Service selecting it that is enrolled (traffic addressed to the
 * Service), each falling back to the namespace's `istio.io/use-waypoint` as Istio does.
 */
export function workloadWaypoint(namespace: string, podLabels: Labels, namespaceLabels: Labels, services: readonly { labels: Labels; selector: Labels }[]): WaypointRef | null {
  const own = waypointEnrolment(podLabels, namespaceLabels, namespace);
  if (own) return { namespace: own.namespace, name: own.name };
  for (const service of services) {
    const selects = Object.keys(service.selector).length > 0 && Object.entries(service.selector).every(([key, value]) => podLabels[key] === value);
    const enrolment = selects ? waypointEnrolment(service.labels, namespaceLabels, namespace) : undefined;
    if (enrolment) return { namespace: enrolment.namespace, name: enrolment.name };
  }
  return null;
}

/**
 * A workload's data plane. A pod with a sidecar is never captured by ztunnel, so the sidecar wins;
 * otherwise ambient enrolment follows the pod's and its namespace's `istio.io/dataplane-mode`
 * (lib/istio/ambient.ts), with `none` opting a pod out.
 */
export function dataPlaneOf(facts: { sidecarPods: number; namespaceLabels: Labels; podLabels: Labels; waypoint: WaypointRef | null }): DataPlane {
  if (facts.sidecarPods > 0) return "sidecar";
  if (!ambientRequested(facts.namespaceLabels, facts.podLabels).requested) return "none";
  return facts.waypoint ? "ambient-waypoint" : "ambient";
}

export function isAmbient(dataPlane: DataPlane | undefined): boolean {
  return dataPlane === "ambient" || dataPlane === "ambient-waypoint";
}

export const workloadSummarySchema = z.object({
  name: z.string(),
  namespace: z.string(),
  kind: z.literal("Deployment"),
  app: z.string().nullable(),
  version: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  desiredReplicas: z.number(),
  readyReplicas: z.number(),
  /** Pods that belong to the workload, and how many of them run the Envoy sidecar. */
  podCount: z.number(),
  sidecarPods: z.number(),
  proxyVersions: z.array(z.string()),
  /** An answer from a console that predates roles is about applications. */
  meshRole: meshRoleSchema.default("application"),
  /** Absent from a console that predates ambient mode. */
  dataPlane: dataPlaneSchema.optional(),
  /** The waypoint its traffic goes through (ambient with waypoint). */
  waypoint: waypointRefSchema.nullable().optional(),
});
export const workloadListSchema = z.object({ workloads: z.array(workloadSummarySchema) });
export type WorkloadSummary = z.infer<typeof workloadSummarySchema>;

/**
 * Pods of the workload that should run the Envoy sidecar and do not. The mesh's own workloads
 * never count: istiod and ztunnel run without one by design, and a gateway is itself the proxy;
 * nor do ambient workloads, whose data plane is ztunnel (and a waypoint), not a sidecar.
 */
export function podsWithoutSidecar(workload: Pick<WorkloadSummary, "meshRole" | "podCount" | "sidecarPods" | "dataPlane">): number {
  return workload.meshRole === "application" && !isAmbient(workload.dataPlane) ? workload.podCount - workload.sidecarPods : 0;
}

/**
 * The ambient data plane's own health for the overview: the ztunnel node proxies (a DaemonSet in
 * the root namespace, pods `app=ztunnel`) and each waypoint (a Gateway of class `istio-waypoint`:
 * whether istiod programmed it, and its deployment's ready replicas).
 */
export const ambientHealthSchema = z.object({
  /** null when the person may not read the root namespace's pods. */
  ztunnel: z.object({ pods: z.number(), ready: z.number() }).nullable(),
  waypoints: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      /** The Gateway's `Programmed` condition; null before istiod reported one. */
      programmed: z.boolean().nullable(),
      readyReplicas: z.number(),
      desiredReplicas: z.number(),
    }),
  ),
});
export type AmbientHealth = z.infer<typeof ambientHealthSchema>;

/** What is wrong with the ambient data plane, in words; empty when nothing is. */
export function ambientHealthProblems(health: AmbientHealth): string[] {
  const problems: string[] = [];
  if (health.ztunnel && health.ztunnel.ready < health.ztunnel.pods) problems.push(`${health.ztunnel.pods - health.ztunnel.ready} of ${health.ztunnel.pods} ztunnel pods not ready: ambient pods on their nodes lose their traffic`);
  if (health.ztunnel?.pods === 0 && health.waypoints.length > 0) problems.push("No ztunnel pods: waypoints exist but no ambient traffic can reach them");
  for (const waypoint of health.waypoints) {
    if (waypoint.programmed === false) problems.push(`Waypoint ${waypoint.namespace}/${waypoint.name} is not programmed by istiod`);
    else if (waypoint.readyReplicas < Math.max(1, waypoint.desiredReplicas)) problems.push(`Waypoint ${waypoint.namespace}/${waypoint.name} has ${waypoint.readyReplicas} of ${waypoint.desiredReplicas} replicas ready: L7 traffic of the services enrolled to it fails`);
  }
  return problems;
}

export const istioObjectSummarySchema = z.object({
  kind: z.string(),
  /** "" for a cluster-scoped object (GatewayClass). */
  namespace: z.string(),
  name: z.string(),
  createdAt: z.string().nullable(),
  /** What the controller reported in the object's status (Gateway API kinds only). */
  reported: z.object({ state: z.enum(["ok", "problem", "pending"]), summary: z.string() }).optional(),
});
export const istioConfigListSchema = z.object({
  objects: z.array(istioObjectSummarySchema),
  /** Kinds the API server does not serve (their CRDs are not installed), e.g. the Gateway API's. */
  unservedKinds: z.array(z.string()).optional(),
});
export type IstioObjectSummary = z.infer<typeof istioObjectSummarySchema>;

export const podSummarySchema = z.object({
  name: z.string(),
  namespace: z.string(),
  labels: z.record(z.string(), z.string()),
  phase: z.string(),
  ready: z.boolean(),
  restarts: z.number(),
  hasSidecar: z.boolean(),
  proxyVersion: z.string().nullable(),
});
export type PodInfo = z.infer<typeof podSummarySchema>;

/** An application: the workloads sharing an `app` label in a namespace, one per version. */
export const appSummarySchema = z.object({
  name: z.string(),
  namespace: z.string(),
  versions: z.array(z.string()),
  workloads: z.array(z.string()),
  services: z.array(z.string()),
});
export const appListSchema = z.object({ apps: z.array(appSummarySchema) });
export type AppSummary = z.infer<typeof appSummarySchema>;

export const relatedObjectSchema = z.object({ kind: z.string(), namespace: z.string(), name: z.string(), reason: z.string() });

/** Everything a detail page shows about a service, workload or app besides its metrics. */
export const objectDetailsSchema = z.object({
  kind: z.enum(["service", "workload", "app"]),
  namespace: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  versions: z.array(z.string()),
  services: z.array(z.string()),
  workloads: z.array(z.string()),
  pods: z.array(podSummarySchema),
  /** The data planes of its workloads (one, unless they differ); absent from a console that predates ambient mode. */
  dataPlanes: z.array(dataPlaneSchema).optional(),
  /** The waypoint that serves it in ambient mode (for a service, the one it is enrolled to). */
  waypoint: waypointRefSchema.nullable().optional(),
  related: z.array(relatedObjectSchema),
  /** Gateway API routes (and their Gateways) that apply: lib/gatewayApi/routesForService.ts. */
  gatewayRoutes: z
    .array(
      z.object({
        kind: z.string(),
        namespace: z.string(),
        name: z.string(),
        reasons: z.array(z.string()),
        parents: z.array(z.string()),
        weights: z.array(z.object({ service: z.string(), weight: z.number(), percent: z.number(), rule: z.number() })),
        reported: z.object({
          state: z.enum(["ok", "problem", "pending"]),
          summary: z.string(),
          failing: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string().nullish(), message: z.string().nullish() })),
        }),
      }),
    )
    .default([]),
});
export type ObjectDetails = z.infer<typeof objectDetailsSchema>;
