/**
 * The first step of every graph: Istio's request and TCP samples turned into nodes and edges for
 * one graph type. Later steps (server/graph/steps/) each add one concern to the map this returns.
 *
 * Like Kiali, the app, versioned-app and workload graphs put the destination service between a
 * caller and the workloads behind it (caller → reviews service → reviews v1/v2/v3), because that is
 * where routing decisions happen. The service graph shows services only: a caller is drawn as the
 * service its workload serves, read from the same samples.
 */
import type { ResponseRate } from "@/lib/health";
import { appendTo } from "@/lib/listMap";
import { edgeId, nodeId, type GraphEdge, type GraphNode, type GraphType, type Protocol } from "@/lib/graph/model";
import type { VectorSample } from "@/server/prometheus/responses";
import { isWaypointHop, responseRateOf, versionOfSeries } from "@/server/telemetry";
import { isGatewayWorkloadName, meshRoleOf } from "@/server/telemetry/systemWorkloads";
import { EDGE_LABELS } from "./queries";

export type Labels = Record<string, string>;

export interface TrafficContext {
  graphType: GraphType;
  /** "namespace/workload" → the service with most requests into that workload. */
  serviceOfWorkload: Map<string, string>;
  /** Request rate of each edge-label combination, used to weigh per-sample figures such as latency. */
  requestRateByEdgeLabels: Map<string, number>;
  /**
   * "namespace/workload" of the gateways the inventory knows by their labels, such as the
   * `<gateway>-istio` Deployments istiod creates for Gateway API Gateways, whose names the
   * telemetry alone cannot tell from an application's.
   */
  gatewayWorkloads?: ReadonlySet<string>;
  /** "namespace/workload" of the ambient waypoints: drawn as gateways and marked, so the page can fold them. */
  waypointWorkloads?: ReadonlySet<string>;
}

type InventoryWorkloads = readonly { namespace: string; name: string; labels: Readonly<Record<string, string>> }[];

/** The gateways among the inventory's workloads, by the labels that mark them (server/telemetry/systemWorkloads.ts). */
export function gatewayWorkloadsOf(workloads: InventoryWorkloads): Set<string> {
  return new Set(workloads.filter((workload) => meshRoleOf(workload.name, workload.labels) === "gateway").map((workload) => workloadKey(workload.namespace, workload.name)));
}

/** The waypoints among the inventory's workloads: by their labels, or the class of the Gateway they were deployed for. */
export function waypointWorkloadsOf(workloads: InventoryWorkloads, waypointGateways: ReadonlySet<string> = new Set()): Set<string> {
  return new Set(
    workloads
      .filter((workload) => meshRoleOf(workload.name, workload.labels, (gateway) => waypointGateways.has(workloadKey(workload.namespace, gateway))) === "waypoint")
      .map((workload) => workloadKey(workload.namespace, workload.name)),
  );
}

type SeedContext = Pick<TrafficContext, "graphType" | "serviceOfWorkload" | "gatewayWorkloads" | "waypointWorkloads">;

function isGateway(namespace: string, workload: string, context: Pick<TrafficContext, "gatewayWorkloads" | "waypointWorkloads">): boolean {
  return isGatewayWorkloadName(workload) || (context.gatewayWorkloads?.has(workloadKey(namespace, workload)) ?? false) || isWaypoint(namespace, workload, context);
}

function isWaypoint(namespace: string, workload: string, context: Pick<TrafficContext, "waypointWorkloads">): boolean {
  return context.waypointWorkloads?.has(workloadKey(namespace, workload)) ?? false;
}

/** A gateway node, marked when it is a waypoint (lib/graph/waypoints.ts folds those away unless asked). */
function gatewaySeed(namespace: string, workload: string, app: string, context: SeedContext): NodeSeed {
  return seed("gateway", namespace, workload, { app, workload, ...(isWaypoint(namespace, workload, context) ? { isWaypoint: true } : {}) });
}

/** Requests per second by kind of response, by node and edge id: what health is judged from (steps/health.ts). */
export interface TrafficResponses {
  inbound: Map<string, ResponseRate[]>;
  outbound: Map<string, ResponseRate[]>;
  edges: Map<string, ResponseRate[]>;
}

export interface TrafficMap {
  context: TrafficContext;
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
  responses: TrafficResponses;
  /** Things a person should know about how the map was judged (ignored health annotations). */
  notes?: string[];
}

export interface TrafficSamples {
  requests: readonly VectorSample[];
  tcpBytes: readonly VectorSample[];
}

export type NodeSeed = Pick<GraphNode, "id" | "kind" | "namespace" | "name" | "app" | "version" | "workload" | "service" | "isWaypoint">;

const UNKNOWN = "unknown";
/** Envoy clusters for traffic to hosts the mesh does not know. */
const PASSTHROUGH_CLUSTERS = new Set(["PassthroughCluster", "BlackHoleCluster"]);

export function known(value: string | undefined): value is string {
  return value !== undefined && value !== "" && value !== UNKNOWN;
}

function firstKnown(...values: (string | undefined)[]): string | null {
  return values.find(known) ?? null;
}

export function sampleValue(sample: VectorSample): number {
  const value = Number(sample.value[1]);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

export function edgeLabelKey(labels: Labels): string {
  return EDGE_LABELS.map((label) => labels[label] ?? "").join("\u0000");
}

export function protocolOf(labels: Labels): Protocol {
  const protocol = labels.request_protocol;
  return protocol === "grpc" || protocol === "tcp" ? protocol : "http";
}

function seed(kind: GraphNode["kind"], namespace: string, name: string, fields: Partial<NodeSeed> = {}): NodeSeed {
  const version = kind === "versionedApp" ? (fields.version ?? null) : null;
  return { id: nodeId(kind, namespace, name, version), kind, namespace, name, app: null, version: fields.version ?? null, workload: null, service: null, ...fields };
}

function workloadKey(namespace: string, workload: string): string {
  return `${namespace}/${workload}`;
}

function serviceSeed(namespace: string, name: string): NodeSeed {
  return seed("service", namespace, name, { service: name });
}

/**
 * A destination is outside the mesh's Kubernetes services when its host is not `<name>.<namespace>.svc…`:
 * a ServiceEntry host such as api.example.com, or Envoy's passthrough cluster.
 */
function externalDestination(labels: Labels): NodeSeed | null {
  const name = labels.destination_service_name ?? "";
  const namespace = labels.destination_service_namespace ?? "";
  const host = labels.destination_service || name;
  const inCluster = known(namespace) && known(name) && (host === name || host.startsWith(`${name}.${namespace}.svc`));
  if (inCluster && !PASSTHROUGH_CLUSTERS.has(name)) return null;
  const shown = known(host) ? host : known(name) ? name : UNKNOWN;
  return seed("external", known(namespace) ? namespace : "", shown, { service: shown });
}

function sourceSeed(labels: Labels, context: SeedContext): NodeSeed {
  const namespace = labels.source_workload_namespace ?? "";
  const workload = labels.source_workload;
  if (!known(workload)) return seed("unknown", UNKNOWN, UNKNOWN);
  const app = firstKnown(labels.source_canonical_service, labels.source_app, workload) ?? workload;
  const version = versionOfSeries(labels, "outbound");
  if (isGateway(namespace, workload, context)) return gatewaySeed(namespace, workload, app, context);
  switch (context.graphType) {
    case "app":
      return seed("app", namespace, app, { app });
    case "versionedApp":
      return seed("versionedApp", namespace, app, { app, version });
    case "workload":
      return seed("workload", namespace, workload, { app, version, workload });
    case "service": {
      const service = context.serviceOfWorkload.get(workloadKey(namespace, workload));
      return service ? serviceSeed(namespace, service) : seed("workload", namespace, workload, { app, version, workload });
    }
  }
}

/** The destination side: the service (unless this is a service graph) and then the workload-side node. */
function destinationSeeds(labels: Labels, context: SeedContext): NodeSeed[] {
  const graphType = context.graphType;
  const external = externalDestination(labels);
  if (external) return [external];
  const serviceNamespace = labels.destination_service_namespace ?? "";
  const service = serviceSeed(serviceNamespace, labels.destination_service_name ?? "");
  const workload = labels.destination_workload;
  if (graphType === "service" || !known(workload)) return [service];
  const namespace = firstKnown(labels.destination_workload_namespace) ?? serviceNamespace;
  const app = firstKnown(labels.destination_canonical_service, labels.destination_app, workload) ?? workload;
  const version = versionOfSeries(labels, "inbound");
  // A waypoint stands between its caller and the service called (ztunnel names both), so the
  // service stays on the path and folding the waypoint leaves the caller's edge to it.
  if (isWaypoint(namespace, workload, context)) return [service, gatewaySeed(namespace, workload, app, context)];
  if (isGateway(namespace, workload, context)) return [gatewaySeed(namespace, workload, app, context)];
  const destination =
    graphType === "app"
      ? seed("app", namespace, app, { app })
      : graphType === "versionedApp"
        ? seed("versionedApp", namespace, app, { app, version })
        : seed("workload", namespace, workload, { app, version, workload });
  return [service, destination];
}

/** The nodes a sample's traffic passes through, caller first. Every step maps samples with this, so all agree. */
export function trafficPath(labels: Labels, context: SeedContext): NodeSeed[] {
  return [sourceSeed(labels, context), ...destinationSeeds(labels, context)];
}

/** The edge ids a sample contributes to. */
export function trafficEdgeIds(labels: Labels, context: TrafficContext): string[] {
  const path = trafficPath(labels, context);
  const protocol = protocolOf(labels);
  const ids: string[] = [];
  for (let index = 1; index < path.length; index++) ids.push(edgeId((path[index - 1] as NodeSeed).id, (path[index] as NodeSeed).id, protocol));
  return ids;
}

type ResponseClass = keyof GraphEdge["responseClasses"];

export function responseClassOf(labels: Labels): ResponseClass {
  const code = Number(labels.response_code ?? "0");
  if (code >= 200 && code < 300) return "2xx";
  if (code >= 300 && code < 400) return "3xx";
  if (code >= 400 && code < 500) return "4xx";
  if (code >= 500 && code < 600) return "5xx";
  return "other";
}

/** A node with no traffic yet: what a traffic walk starts from, and what an idle node stays. */
export function emptyNode(from: NodeSeed): GraphNode {
  return {
    ...from,
    hasSidecar: null,
    isIdle: false,
    inboundRps: 0,
    outboundRps: 0,
    inboundErrorRps: 0,
    outboundErrorRps: 0,
    errorRate: 0,
    tcpInboundBytesPerSecond: 0,
    tcpOutboundBytesPerSecond: 0,
    health: "no-traffic",
  };
}

function emptyEdge(source: string, target: string, protocol: Protocol): GraphEdge {
  return {
    id: edgeId(source, target, protocol),
    source,
    target,
    protocol,
    rps: 0,
    errorRps: 0,
    errorRate: 0,
    responseClasses: { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, other: 0 },
    percentOfSource: 0,
    configuredPercent: null,
    responseTime: null,
    tcpBytesPerSecond: 0,
    throughputBytesPerSecond: null,
    mtlsShare: null,
    health: "no-traffic",
  };
}

/** Which service each workload serves, by the requests it received; ties go to the first name. */
function servicesOfWorkloads(requests: readonly VectorSample[]): Map<string, string> {
  const rates = new Map<string, Map<string, number>>();
  for (const sample of requests) {
    const labels = sample.metric;
    if (!known(labels.destination_workload) || !known(labels.destination_service_name) || externalDestination(labels)) continue;
    const key = workloadKey(labels.destination_workload_namespace ?? "", labels.destination_workload);
    const byService = rates.get(key) ?? new Map<string, number>();
    byService.set(labels.destination_service_name, (byService.get(labels.destination_service_name) ?? 0) + sampleValue(sample));
    rates.set(key, byService);
  }
  const chosen = new Map<string, string>();
  for (const [key, byService] of rates) {
    const [best] = [...byService].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (best) chosen.set(key, best[0]);
  }
  return chosen;
}

/**
 * The request samples that count as traffic: a caller's hop to a waypoint is left out, since the
 * waypoint reports the same requests with the backend it chose (server/telemetry/traffic.ts).
 */
export function withoutWaypointHops(samples: readonly VectorSample[], waypointWorkloads: ReadonlySet<string>): VectorSample[] {
  if (waypointWorkloads.size === 0) return [...samples];
  return samples.filter((sample) => !isWaypointHop(sample.metric, (namespace, workload) => waypointWorkloads.has(workloadKey(namespace, workload))));
}

export function buildTrafficMap(samples: TrafficSamples, graphType: GraphType, options: { gatewayWorkloads?: ReadonlySet<string>; waypointWorkloads?: ReadonlySet<string> } = {}): TrafficMap {
  const requestRateByEdgeLabels = new Map<string, number>();
  for (const sample of samples.requests) {
    const key = edgeLabelKey(sample.metric);
    requestRateByEdgeLabels.set(key, (requestRateByEdgeLabels.get(key) ?? 0) + sampleValue(sample));
  }
  const context: TrafficContext = {
    graphType,
    serviceOfWorkload: servicesOfWorkloads(samples.requests),
    requestRateByEdgeLabels,
    ...(options.gatewayWorkloads ? { gatewayWorkloads: options.gatewayWorkloads } : {}),
    ...(options.waypointWorkloads ? { waypointWorkloads: options.waypointWorkloads } : {}),
  };
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();

  const walk = (sample: VectorSample, add: (edge: GraphEdge, value: number) => void) => {
    const path = trafficPath(sample.metric, context);
    const protocol = protocolOf(sample.metric);
    const value = sampleValue(sample);
    for (const step of path) if (!nodes.has(step.id)) nodes.set(step.id, emptyNode(step));
    for (let index = 1; index < path.length; index++) {
      const source = (path[index - 1] as NodeSeed).id;
      const target = (path[index] as NodeSeed).id;
      const id = edgeId(source, target, protocol);
      let edge = edges.get(id);
      if (!edge) {
        edge = emptyEdge(source, target, protocol);
        edges.set(id, edge);
      }
      add(edge, value);
    }
  };

  const responses: TrafficResponses = { inbound: new Map(), outbound: new Map(), edges: new Map() };
  for (const sample of samples.requests) {
    const response = responseRateOf(sample.metric, sampleValue(sample));
    const responseClass = responseClassOf(sample.metric);
    walk(sample, (edge, value) => {
      edge.rps += value;
      if (response.failed) edge.errorRps += value;
      edge.responseClasses[responseClass] += value;
      appendTo(responses.edges, edge.id, response);
      appendTo(responses.outbound, edge.source, response);
      appendTo(responses.inbound, edge.target, response);
    });
  }
  for (const sample of samples.tcpBytes) walk({ ...sample, metric: { ...sample.metric, request_protocol: "tcp" } }, (edge, value) => (edge.tcpBytesPerSecond += value));

  for (const edge of edges.values()) {
    if (edge.rps > 0) {
      edge.errorRate = edge.errorRps / edge.rps;
      for (const responseClass of Object.keys(edge.responseClasses) as ResponseClass[]) edge.responseClasses[responseClass] /= edge.rps;
    }
    const source = nodes.get(edge.source) as GraphNode;
    const target = nodes.get(edge.target) as GraphNode;
    source.outboundRps += edge.rps;
    source.outboundErrorRps += edge.errorRps;
    source.tcpOutboundBytesPerSecond += edge.tcpBytesPerSecond;
    target.inboundRps += edge.rps;
    target.inboundErrorRps += edge.errorRps;
    target.tcpInboundBytesPerSecond += edge.tcpBytesPerSecond;
  }
  return { context, nodes, edges, responses };
}
