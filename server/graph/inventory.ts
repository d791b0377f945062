/**
 * What Kubernetes knows about the graph's namespaces, gathered before the graph is built so the
 * building steps stay pure: workloads and services (for idle nodes), pods (for sidecars) and
 * routing (for configured weights). It is read from the console's watch caches, so a refresh of a
 * graph over fifty namespaces costs no Kubernetes call.
 */
import { z } from "zod";
import { normalizePolicies, type NormalizedAuthorizationPolicy } from "@/lib/istio/authorizationPolicy";
import { WAYPOINT_GATEWAY_CLASS } from "@/lib/istio/ambient";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import { rememberedPerObject } from "@/lib/onceParsed";
import { summarizePod } from "@/server/mesh/pods";
import { consoleHealthSettings, type HealthSettings } from "@/server/telemetry/healthThresholds";
import { canonicalRevisionOf } from "@/server/telemetry/version";
import type { RoutingObjects } from "./steps/configuredWeights";
import { waypointWorkloadsOf } from "./trafficMap";
import { meshCaches, meshResource, MESH_RESOURCES, type KubeObject, type ObjectCaches, type WatchedResource } from "@/server/kube/informers";
import type { Finding } from "@/lib/validation/finding";
import { liveValidation } from "@/server/validation/live";

export interface InventoryWorkload {
  namespace: string;
  name: string;
  app: string | null;
  version: string | null;
  /** The pod template's labels: what AuthorizationPolicy selectors match. */
  labels: Readonly<Record<string, string>>;
}

export interface InventoryService {
  namespace: string;
  name: string;
}

export interface InventoryPod {
  namespace: string;
  /** The workload Istio reports for the pod: its Deployment (owner ReplicaSet minus the template hash) or owner. */
  workload: string;
  app: string | null;
  version: string | null;
  hasSidecar: boolean;
}

export interface MeshInventory {
  workloads: InventoryWorkload[];
  services: InventoryService[];
  pods: InventoryPod[];
  /** VirtualServices and DestinationRules of the namespaces, for configured traffic splits. */
  routing?: RoutingObjects;
  /** AuthorizationPolicies of the namespaces and the mesh-wide ones of the root namespace, for steps/authorization.ts. */
  authorizationPolicies?: NormalizedAuthorizationPolicy[];
  /** The health rules' sources: the console's setting and the namespaces' objects' annotations. */
  health?: HealthSettings;
  /** Config badges (steps/configBadges.ts): HTTPRoutes when the console watches them, and validation findings. */
  badges?: { httpRoutes: readonly unknown[]; findings: readonly Finding[] };
  /**
   * "namespace/workload" of every waypoint in the cluster, not only the graph's namespaces: a caller
   * here may go through a waypoint elsewhere, and its hop must still be recognised.
   */
  waypointWorkloads?: ReadonlySet<string>;
}

const gatewayClassSchema = z.object({ metadata: z.object({ name: z.string(), namespace: z.string().optional() }), spec: z.object({ gatewayClassName: z.string() }).passthrough() });

/** The waypoints among Gateway API Gateways (class `istio-waypoint`), by "namespace/name". */
export function waypointGatewaysOf(gateways: readonly unknown[]): Set<string> {
  const names = new Set<string>();
  for (const raw of gateways) {
    const parsed = gatewayClassSchema.safeParse(raw);
    if (parsed.success && parsed.data.spec.gatewayClassName === WAYPOINT_GATEWAY_CLASS) names.add(`${parsed.data.metadata.namespace ?? ""}/${parsed.data.metadata.name}`);
  }
  return names;
}

/** The graph's view of a pod; its version named as Istio names it (server/telemetry/version.ts), so pods and series agree. */
export function inventoryPod(raw: unknown): InventoryPod {
  const { namespace, workload, labels, hasSidecar } = summarizePod(raw);
  return {
    namespace,
    workload,
    app: labels.app ?? labels["service.istio.io/canonical-name"] ?? null,
    version: canonicalRevisionOf(labels),
    hasSidecar,
  };
}

const deploymentSchema = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string().optional() }),
  spec: z.object({ template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()).nullish() }).nullish() }).nullish() }).nullish(),
});

function summarizeWorkload(raw: unknown): InventoryWorkload {
  const deployment = deploymentSchema.parse(raw);
  const labels = deployment.spec?.template?.metadata?.labels ?? {};
  return { namespace: deployment.metadata.namespace ?? "", name: deployment.metadata.name, app: labels.app ?? null, version: canonicalRevisionOf(labels), labels };
}

// A cached object stays the same object until Kubernetes changes it, so its summary holds as long
// as it does: a refresh at scale reads its thousands of pods without parsing each again.
const cachedPod = rememberedPerObject<KubeObject, InventoryPod>(inventoryPod);
const cachedWorkload = rememberedPerObject<KubeObject, InventoryWorkload>(summarizeWorkload);

const cached = (plural: string): WatchedResource => {
  const resource = MESH_RESOURCES.find((candidate) => candidate.plural === plural && !candidate.namespace);
  if (!resource) throw new Error(`The console's caches do not watch ${plural}`);
  return resource;
};
const PODS = cached("pods");
const DEPLOYMENTS = cached("deployments");
const SERVICES = cached("services");
const VIRTUAL_SERVICES = cached("virtualservices");
const DESTINATION_RULES = cached("destinationrules");
const AUTHORIZATION_POLICIES = cached("authorizationpolicies");
// By group too: "gateways" is both Istio's and the Gateway API's plural.
const HTTP_ROUTES = meshResource("gateway.networking.k8s.io/v1", "httproutes");
const GATEWAY_API_GATEWAYS = meshResource("gateway.networking.k8s.io/v1", "gateways");
/** A deployment istiod's mesh controller manages is a waypoint whatever its Gateway's namespace. */
const WAYPOINT_MANAGED_LABEL = "gateway.istio.io/managed";
const WAYPOINT_MANAGER = "istio.io-mesh-controller";

/** The inventory of `namespaces` from objects already in memory: no Kubernetes call per graph refresh. */
export function inventoryFromCaches(caches: Pick<ObjectCaches, "list">, namespaces: readonly string[]): MeshInventory {
  const objects = (resource: WatchedResource) => namespaces.flatMap((namespace) => caches.list(resource, namespace));
  return {
    workloads: objects(DEPLOYMENTS).map(cachedWorkload),
    services: objects(SERVICES).map((service) => ({ namespace: service.metadata.namespace ?? "", name: service.metadata.name ?? "" })),
    pods: objects(PODS).map(cachedPod),
    routing: { virtualServices: objects(VIRTUAL_SERVICES), destinationRules: objects(DESTINATION_RULES), httpRoutes: objects(HTTP_ROUTES) },
    waypointWorkloads: waypointWorkloadsIn(caches),
    // Mesh-wide policies apply in every namespace, so the root namespace is read even when not shown.
    authorizationPolicies: normalizePolicies([...new Set([...namespaces, MESH_ROOT_NAMESPACE])].flatMap((namespace) => caches.list(AUTHORIZATION_POLICIES, namespace))),
  };
}

/** The waypoints' deployments across the cluster: the few namespaces holding a waypoint Gateway, or marked as waypoints by their labels. */
function waypointWorkloadsIn(caches: Pick<ObjectCaches, "list">): Set<string> {
  const gateways = waypointGatewaysOf(caches.list(GATEWAY_API_GATEWAYS));
  const namespaces = new Set([...gateways].map((key) => key.slice(0, key.indexOf("/"))));
  // Deployments carry istiod's labels on their own metadata too, so this filter needs no parse.
  const candidates = caches.list(DEPLOYMENTS).filter((deployment) => namespaces.has(deployment.metadata.namespace ?? "") || deployment.metadata.labels?.[WAYPOINT_MANAGED_LABEL] === WAYPOINT_MANAGER);
  return waypointWorkloadsOf(candidates.map(cachedWorkload), gateways);
}

/** How long a graph build waits for the console's caches to finish their first lists before it goes on without Kubernetes facts. */
export const CACHE_WAIT_MS = 10_000;

/**
 * The graph's Kubernetes facts from the console's watch caches (the console's own identity; the
 * route has already checked the person may read these namespaces).
 */
export async function meshInventory(namespaces: readonly string[]): Promise<MeshInventory> {
  const caches = meshCaches();
  await caches.ready(CACHE_WAIT_MS);
  return { ...inventoryFromCaches(caches, namespaces), health: await consoleHealthSettings(namespaces), badges: badgeInputs(caches, namespaces) };
}

/**
 * What config badges read besides routing: HTTPRoutes (only once the caches watch the Gateway
 * API) and the live validation's findings (none while it is still loading).
 */
function badgeInputs(caches: Pick<ObjectCaches, "list">, namespaces: readonly string[]): NonNullable<MeshInventory["badges"]> {
  const httpRoutes = MESH_RESOURCES.find((candidate) => candidate.plural === "httproutes" && !candidate.namespace);
  return {
    httpRoutes: httpRoutes ? namespaces.flatMap((namespace) => caches.list(httpRoutes, namespace)) : [],
    findings: liveValidation().findings(namespaces) ?? [],
  };
}
