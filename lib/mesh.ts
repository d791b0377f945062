/**
 * What the browser is told about the mesh's Kubernetes objects: small, exact shapes, shared by the
 * API routes that produce them and the components that draw them.
 */
import { z } from "zod";

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
export const meshRoleSchema = z.enum(["application", "control-plane", "gateway"]);
export type MeshRole = z.infer<typeof meshRoleSchema>;

/** Words for the mesh's own roles, in the lists and for screen readers. */
export const MESH_ROLE_LABELS: Record<MeshRole, string> = {
  application: "application",
  "control-plane": "control plane",
  gateway: "gateway",
};

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
});
export const workloadListSchema = z.object({ workloads: z.array(workloadSummarySchema) });
export type WorkloadSummary = z.infer<typeof workloadSummarySchema>;

/**
 * Pods of the workload that should run the Envoy sidecar and do not. The mesh's own workloads
 * never count: istiod and ztunnel run without one by design, and a gateway is itself the proxy.
 */
export function podsWithoutSidecar(workload: Pick<WorkloadSummary, "meshRole" | "podCount" | "sidecarPods">): number {
  return workload.meshRole === "application" ? workload.podCount - workload.sidecarPods : 0;
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
