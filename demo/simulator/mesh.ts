/**
 * The mesh as the sidecars see it: workloads (from Deployments), services and their endpoints,
 * plus the Istio config that shapes traffic. Built from parsed Kubernetes objects; pure.
 */
import type {
  AuthorizationPolicyObject,
  DeploymentObject,
  DestinationRuleObject,
  NamespaceObject,
  PeerAuthenticationObject,
  ServiceObject,
  VirtualServiceObject,
} from "./mesh-schemas";
import { serviceFqdn } from "@/lib/istio/host";
import type { GatewayApiWorld } from "@/lib/gatewayApi/references";
import type { IGatewayClass, IReferenceGrant } from "@/lib/gatewayApi/types";
import type { GatewayObject, GRPCRouteObject, HTTPRouteObject } from "./gateway-api-schemas";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import { UNKNOWN } from "./istio-labels";
import { dataplaneOf, DEFAULT_NODE, waypointOfService } from "./ambient";

export type RequestProtocol = "http" | "grpc" | "tcp";

export interface Workload {
  /** `namespace/name` */
  key: string;
  name: string;
  namespace: string;
  labels: Readonly<Record<string, string>>;
  app: string;
  version: string;
  canonicalService: string;
  canonicalRevision: string;
  serviceAccount: string;
  replicas: number;
  /** Whether an Envoy proxy runs beside it (sidecar or gateway), i.e. whether it reports telemetry. */
  hasProxy: boolean;
  isGateway: boolean;
  /** The pod template's annotations (demo switches such as injected-errors.ts read them). */
  podAnnotations?: Readonly<Record<string, string>>;
  /** Captured by ztunnel (ambient data plane): no sidecar, L4 mTLS by its node's ztunnel (ambient.ts). */
  ambient?: boolean;
  /** The node its pods run on (`spec.nodeName`), i.e. which ztunnel carries its traffic. */
  node?: string;
  /** A waypoint proxy istiod deployed for a Gateway of class `istio-waypoint`. */
  isWaypoint?: boolean;
}

export interface MeshService {
  host: string;
  name: string;
  namespace: string;
  protocol: RequestProtocol;
  /** The first port (what the simulated calls use), e.g. in Envoy's cluster names; 80 when none is declared. */
  port: number;
  /** The Service's virtual IP, when it has one (what a client's request is addressed to). */
  clusterIP?: string;
  /** Workloads whose pod labels match the Service selector: the Service's endpoints. */
  endpoints: Workload[];
  /** The waypoint that serves traffic to this Service (`istio.io/use-waypoint`), when one is deployed. */
  waypoint?: Workload;
}

export interface MeshObjects {
  namespaces: NamespaceObject[];
  services: ServiceObject[];
  deployments: DeploymentObject[];
  virtualServices: VirtualServiceObject[];
  destinationRules: DestinationRuleObject[];
  peerAuthentications: PeerAuthenticationObject[];
  authorizationPolicies: AuthorizationPolicyObject[];
  /** Absent: the API serves no Gateway API kinds. */
  gatewayApi?: GatewayApiObjects;
}

export interface GatewayApiObjects {
  gatewayClasses: IGatewayClass[];
  gateways: GatewayObject[];
  httpRoutes: HTTPRouteObject[];
  grpcRoutes: GRPCRouteObject[];
  referenceGrants: IReferenceGrant[];
}

/** The Gateway API objects plus what reference resolution (lib/gatewayApi/references.ts) reads. */
export interface GatewayApiSnapshot extends GatewayApiObjects {
  world: GatewayApiWorld;
}

export interface MeshSnapshot {
  /** Istio's root namespace: mesh-wide PeerAuthentication and fallback DestinationRules live here. */
  rootNamespace: string;
  namespaces: Map<string, Readonly<Record<string, string>>>;
  services: Map<string, MeshService>;
  workloads: Map<string, Workload>;
  virtualServices: VirtualServiceObject[];
  destinationRules: DestinationRuleObject[];
  peerAuthentications: PeerAuthenticationObject[];
  /** Enforced by the server-side proxies (authorization.ts). */
  authorizationPolicies: AuthorizationPolicyObject[];
  gatewayApi: GatewayApiSnapshot;
}

export function labelsMatch(selector: Readonly<Record<string, string>> | undefined | null, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * Protocol selection by port naming (`<protocol>[-<suffix>]`) or appProtocol.
 * https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 * Unnamed ports are sniffed by Envoy; the simulated apps speak HTTP, so sniffing finds HTTP.
 */
export function protocolOfPort(port: { name?: string; appProtocol?: string; protocol?: string }): RequestProtocol {
  if (port.protocol === "UDP") return "tcp";
  const declared = (port.appProtocol ?? port.name?.split("-")[0] ?? "").toLowerCase();
  if (declared === "grpc" || declared === "grpc-web") return "grpc";
  if (declared === "http" || declared === "http2" || declared === "https" || declared === "") return "http";
  if (declared.startsWith("http")) return "http";
  return "tcp";
}

/** The label istiod puts on the pods it deploys for a Gateway API Gateway. */
export const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

function isGatewayWorkload(labels: Readonly<Record<string, string>>): boolean {
  const istioLabel = labels["istio"];
  return istioLabel === "ingressgateway" || istioLabel === "egressgateway" || labels[GATEWAY_NAME_LABEL] !== undefined;
}

/**
 * Sidecar injection as the injector decides it: the pod's `sidecar.istio.io/inject` wins, then
 * the namespace's `istio-injection` / `istio.io/rev` label.
 * https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy
 */
function hasSidecar(
  podLabels: Readonly<Record<string, string>>,
  podAnnotations: Readonly<Record<string, string>>,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
): boolean {
  const podChoice = podLabels["sidecar.istio.io/inject"] ?? podAnnotations["sidecar.istio.io/inject"];
  if (podChoice === "false") return false;
  if (podChoice === "true") return true;
  if (!namespaceLabels) return false;
  if (namespaceLabels["istio-injection"] === "disabled") return false;
  return namespaceLabels["istio-injection"] === "enabled" || namespaceLabels["istio.io/rev"] !== undefined;
}

export function workloadFromDeployment(
  deployment: DeploymentObject,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
): Workload {
  const namespace = deployment.metadata.namespace ?? "default";
  const labels = deployment.spec.template.metadata?.labels ?? {};
  const annotations = deployment.spec.template.metadata?.annotations ?? {};
  const isGateway = isGatewayWorkload(labels);
  const app = labels["app"] ?? UNKNOWN;
  const version = labels["version"] ?? UNKNOWN;
  return {
    key: `${namespace}/${deployment.metadata.name}`,
    name: deployment.metadata.name,
    namespace,
    labels,
    app,
    version,
    // Istio derives canonical service/revision from these pod labels in this order.
    canonicalService:
      labels["service.istio.io/canonical-name"] ??
      labels["app.kubernetes.io/name"] ??
      labels["app"] ??
      deployment.metadata.name,
    canonicalRevision:
      labels["service.istio.io/canonical-revision"] ?? labels["app.kubernetes.io/version"] ?? labels["version"] ?? "latest",
    serviceAccount: deployment.spec.template.spec?.serviceAccountName ?? "default",
    replicas: deployment.spec.replicas ?? 1,
    hasProxy: isGateway || hasSidecar(labels, annotations, namespaceLabels),
    isGateway,
    podAnnotations: annotations,
    ...dataplaneOf(labels, isGateway, hasSidecar(labels, annotations, namespaceLabels), namespaceLabels),
    node: deployment.spec.template.spec?.nodeName ?? DEFAULT_NODE,
  };
}

export function buildMeshSnapshot(objects: MeshObjects, rootNamespace = MESH_ROOT_NAMESPACE): MeshSnapshot {
  const namespaces = new Map<string, Readonly<Record<string, string>>>();
  for (const namespace of objects.namespaces) namespaces.set(namespace.metadata.name, namespace.metadata.labels ?? {});

  const workloads = new Map<string, Workload>();
  for (const deployment of objects.deployments) {
    const workload = workloadFromDeployment(deployment, namespaces.get(deployment.metadata.namespace ?? "default"));
    workloads.set(workload.key, workload);
  }

  const services = new Map<string, MeshService>();
  for (const service of objects.services) {
    const namespace = service.metadata.namespace ?? "default";
    const selector = service.spec?.selector;
    const host = serviceFqdn(service.metadata.name, namespace);
    const firstPort = service.spec?.ports?.[0];
    const endpoints = selector
      ? [...workloads.values()].filter((w) => w.namespace === namespace && labelsMatch(selector, w.labels))
      : [];
    const waypoint = waypointOfService(service, namespaces, objects.gatewayApi?.gateways ?? [], workloads);
    services.set(host, {
      ...(waypoint ? { waypoint } : {}),
      host,
      name: service.metadata.name,
      namespace,
      protocol: firstPort ? protocolOfPort(firstPort) : "http",
      port: firstPort?.port ?? 80,
      ...(service.spec?.clusterIP && service.spec.clusterIP !== "None" ? { clusterIP: service.spec.clusterIP } : {}),
      endpoints,
    });
  }

  return {
    rootNamespace,
    namespaces,
    services,
    workloads,
    virtualServices: objects.virtualServices,
    destinationRules: objects.destinationRules,
    peerAuthentications: objects.peerAuthentications,
    authorizationPolicies: objects.authorizationPolicies,
    gatewayApi: gatewayApiSnapshot(objects),
  };
}

const NO_GATEWAY_API: GatewayApiObjects = { gatewayClasses: [], gateways: [], httpRoutes: [], grpcRoutes: [], referenceGrants: [] };

function gatewayApiSnapshot(objects: MeshObjects): GatewayApiSnapshot {
  const gatewayApi = objects.gatewayApi ?? NO_GATEWAY_API;
  return {
    ...gatewayApi,
    world: {
      gateways: gatewayApi.gateways,
      gatewayClasses: gatewayApi.gatewayClasses,
      services: objects.services.map((service) => ({ metadata: service.metadata, spec: { ports: service.spec?.ports ?? [] } })),
      namespaces: objects.namespaces,
      referenceGrants: gatewayApi.referenceGrants,
    },
  };
}

/** Services a workload backs (a workload can sit behind several Services). */
export function servicesOfWorkload(snapshot: MeshSnapshot, workload: Workload): MeshService[] {
  return [...snapshot.services.values()].filter((service) => service.endpoints.includes(workload));
}

/** A client outside the mesh: no proxy, so no peer metadata and no Istio routing. */
export const EXTERNAL_CLIENT: Workload = {
  key: "(external)",
  name: UNKNOWN,
  namespace: UNKNOWN,
  labels: {},
  app: UNKNOWN,
  version: UNKNOWN,
  canonicalService: UNKNOWN,
  canonicalRevision: UNKNOWN,
  serviceAccount: UNKNOWN,
  replicas: 1,
  hasProxy: false,
  isGateway: false,
};

/** Stands in for the ingress gateway when the cluster has no such Deployment. */
export function syntheticGateway(namespace: string, name: string): Workload {
  return {
    key: `${namespace}/${name}`,
    name,
    namespace,
    labels: { app: name, istio: "ingressgateway" },
    app: name,
    version: UNKNOWN,
    canonicalService: name,
    canonicalRevision: "latest",
    serviceAccount: `${name}-service-account`,
    replicas: 1,
    hasProxy: true,
    isGateway: true,
  };
}
