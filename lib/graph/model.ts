/**
 * The traffic graph as the API sends it and the browser reads it. One schema for both sides, so the
 * page never draws a shape the server did not promise.
 */
import { z } from "zod";
import { HEALTH_STATES } from "@/lib/health";

export const GRAPH_TYPES = ["app", "versionedApp", "workload", "service"] as const;
export const graphTypeSchema = z.enum(GRAPH_TYPES);
export type GraphType = z.infer<typeof graphTypeSchema>;

export const GRAPH_TYPE_LABELS: Record<GraphType, string> = {
  app: "App graph",
  versionedApp: "Versioned app graph",
  workload: "Workload graph",
  service: "Service graph",
};

/** The optional per-edge figures; each costs one more PromQL query per refresh. */
export const GRAPH_APPENDERS = ["responseTime", "throughput", "security"] as const;
export const graphAppenderSchema = z.enum(GRAPH_APPENDERS);
export type GraphAppender = z.infer<typeof graphAppenderSchema>;

/**
 * `external` is a destination outside the mesh's Kubernetes services (a ServiceEntry host or
 * PassthroughCluster); `unknown` is traffic whose source Istio could not identify, which in practice
 * means it came from outside the mesh.
 */
export const NODE_KINDS = ["app", "versionedApp", "workload", "service", "external", "unknown", "gateway"] as const;
export const nodeKindSchema = z.enum(NODE_KINDS);
export type NodeKind = z.infer<typeof nodeKindSchema>;

export const PROTOCOLS = ["http", "grpc", "tcp"] as const;
export const protocolSchema = z.enum(PROTOCOLS);
export type Protocol = z.infer<typeof protocolSchema>;

export const healthSchema = z.enum(HEALTH_STATES);

/**
 * Config badges: what the mesh's configuration does to a node's traffic, each naming the objects
 * that do it so the page can link them. Read from the config the console already watches, never
 * from Prometheus (server/graph/steps/configBadges.ts).
 */
export const CONFIG_BADGES = ["virtualService", "httpRoute", "circuitBreaker", "faultInjection", "mirroring", "timeoutsRetries", "missingSidecar", "findings"] as const;
export const configBadgeKindSchema = z.enum(CONFIG_BADGES);
export type ConfigBadgeKind = z.infer<typeof configBadgeKindSchema>;
export const configObjectRefSchema = z.object({ kind: z.string(), namespace: z.string(), name: z.string() });
export type ConfigObjectRef = z.infer<typeof configObjectRefSchema>;
export const configBadgeSchema = z.object({
  badge: configBadgeKindSchema,
  objects: z.array(configObjectRefSchema),
  /** Findings badge only: validation findings on the node's config objects, by severity. */
  errors: z.number().optional(),
  warnings: z.number().optional(),
});
export type ConfigBadge = z.infer<typeof configBadgeSchema>;

export const graphNodeSchema = z.object({
  id: z.string(),
  kind: nodeKindSchema,
  namespace: z.string(),
  /** What the node is called on screen: the app, workload, service or host name. */
  name: z.string(),
  app: z.string().nullable(),
  version: z.string().nullable(),
  workload: z.string().nullable(),
  service: z.string().nullable(),
  /** null when Kubernetes has no pods for the node (external hosts, unknown sources). */
  hasSidecar: z.boolean().nullable(),
  /** Known to Kubernetes but without traffic in the window. */
  isIdle: z.boolean(),
  inboundRps: z.number(),
  outboundRps: z.number(),
  inboundErrorRps: z.number(),
  outboundErrorRps: z.number(),
  /** Share (0..1) of failed requests: inbound ones, or outbound ones for a node nobody calls. */
  errorRate: z.number(),
  tcpInboundBytesPerSecond: z.number(),
  tcpOutboundBytesPerSecond: z.number(),
  health: healthSchema,
  /** Config badges (see CONFIG_BADGES); absent when none applies. */
  config: z.array(configBadgeSchema).optional(),
  /** An ambient waypoint proxy (a gateway node); the page folds these into their edges unless asked to show them. */
  isWaypoint: z.boolean().optional(),
});
export type GraphNode = z.infer<typeof graphNodeSchema>;

export const responseTimeSchema = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() });
export type ResponseTime = z.infer<typeof responseTimeSchema>;

export const responseClassSharesSchema = z.object({ "2xx": z.number(), "3xx": z.number(), "4xx": z.number(), "5xx": z.number(), other: z.number() });
export type ResponseClassShares = z.infer<typeof responseClassSharesSchema>;

/** What the console's evaluator (lib/istio/authorizationPolicy.ts) says of an edge's callers at its destination. */
export const policyDenialSchema = z.object({
  /** `namespace/name` of the DENY policy that matched, or of the ALLOW policies none of which admits the caller. */
  policies: z.array(z.string()),
  reason: z.string(),
  /** The policy names fields the metrics cannot show (paths, methods, JWTs…): the denial is a guess. */
  uncertain: z.boolean(),
});
export type PolicyDenial = z.infer<typeof policyDenialSchema>;

export const graphEdgeSchema = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  protocol: protocolSchema,
  /** Requests per second (HTTP and gRPC); 0 on TCP edges. */
  rps: z.number(),
  errorRps: z.number(),
  errorRate: z.number(),
  /** Share (0..1) of requests by response class; "other" holds responses Envoy never got (code 0). */
  responseClasses: responseClassSharesSchema,
  /** Share (0..100) of the source's outbound traffic of the same kind (requests, or TCP bytes). */
  percentOfSource: z.number(),
  /**
   * Share (0..100) the service's VirtualService sends to this version, on edges from a service to
   * one of its versions; null where no weighted route applies. Compared with percentOfSource (what
   * was observed), it shows a canary converging.
   */
  configuredPercent: z.number().nullable(),
  /** Milliseconds; null when not asked for or no request finished in the window. */
  responseTime: responseTimeSchema.nullable(),
  tcpBytesPerSecond: z.number(),
  /** Request and response bytes per second on HTTP/gRPC edges; null when not asked for. */
  throughputBytesPerSecond: z.number().nullable(),
  /** Share (0..1) of traffic the destination saw over mutual TLS; null when not asked for or unknown. */
  mtlsShare: z.number().nullable(),
  /**
   * Requests per second answered 403 with no response flag: how an AuthorizationPolicy denial shows
   * in Istio's metrics (Envoy's RBAC filter sets no flag), though an app's own 403 looks the same.
   * Absent means none.
   */
  deniedRps: z.number().optional(),
  /** Set when the current AuthorizationPolicies would deny this edge's traffic (with the security display). */
  policyDenial: policyDenialSchema.optional(),
  health: healthSchema,
});
export type GraphEdge = z.infer<typeof graphEdgeSchema>;

export const graphResponseSchema = z.object({
  timestamp: z.number(),
  durationSeconds: z.number(),
  graphType: graphTypeSchema,
  namespaces: z.array(z.string()),
  /** PromQL queries this answer cost; it does not grow with the number of namespaces. */
  queryCount: z.number(),
  /** Whether Istio's recording rules (`workload:istio_*`) were used instead of the raw metrics. */
  usedRecordingRules: z.boolean(),
  /** The console's health rules (lib/health.ts format), for the legend; objects' annotations may override them. */
  healthRules: z.string().optional(),
  /** What could not be added (e.g. sidecar state when Kubernetes did not answer); the graph is still valid. */
  warnings: z.array(z.string()),
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
});
export type GraphResponse = z.infer<typeof graphResponseSchema>;

/**
 * Ids stay the same across refreshes and graph builds, so the browser can update elements in place:
 * they are made of what identifies the node in the mesh, never of positions or counters.
 */
export function nodeId(kind: NodeKind, namespace: string, name: string, version: string | null = null): string {
  return [kind, namespace, name, version ?? ""].join("~");
}

export function edgeId(source: string, target: string, protocol: Protocol): string {
  return `${source}>${target}>${protocol}`;
}

/** The id of the box drawn around a namespace's nodes. */
export function namespaceBoxId(namespace: string): string {
  return `namespace~${namespace}`;
}
