/**
 * What the routing wizards send to the server and what it answers, as zod schemas shared by the
 * API routes (which parse request bodies with them) and the browser (which parses answers).
 * Field names follow Istio's VirtualService and DestinationRule
 * (https://istio.io/latest/docs/reference/config/networking/).
 */
import { z } from "zod";
import { serviceAmbientSchema } from "./ambient";

/** Subset names end up in a DestinationRule: Istio requires DNS-1123 labels there. */
export const subsetNameSchema = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label (a subset name)").max(63);

/** Istio durations as written in YAML: "250ms", "5s", "1.5s", "2m", "1h". */
export const durationSchema = z.string().regex(/^[0-9]+(\.[0-9]+)?(ms|s|m|h)$/, 'must be a duration such as "250ms", "5s" or "1m"');

const percentageSchema = z.number().min(0).max(100);

/**
 * Which API a wizard writes: Istio's VirtualService and DestinationRule subsets, or a Gateway API
 * mesh HTTPRoute with one Service per version. A service already routed by one is edited in that
 * one; for a service with no routing the person chooses, the console setting
 * MESH_CONSOLE_DEFAULT_ROUTING_API preselecting.
 */
export const ROUTING_APIS = ["virtualservice", "gateway-api"] as const;
export const routingApiSchema = z.enum(ROUTING_APIS);
export type RoutingApi = z.infer<typeof routingApiSchema>;

/** Every write can be a preview: the server runs it as a dry run and answers the diff. */
const writeOptions = {
  /** The routing object's resourceVersion from the GET (the VirtualService, or the HTTPRoute with the Gateway API); a newer stored one means 409. */
  resourceVersion: z.string().max(64).optional(),
  /**
   * The HTTPRoute's metadata.generation from the GET. istiod writes route status after every change,
   * which moves the resourceVersion but not the generation: a different resourceVersion with the same
   * generation is not someone else's change to the routing.
   */
  generation: z.number().int().min(0).optional(),
  /** The API to write when the service has no routing yet; refused when it differs from the one in force. */
  api: routingApiSchema.optional(),
  /** Same for the DestinationRule, when the wizard read one. */
  destinationRuleResourceVersion: z.string().max(64).optional(),
  dryRun: z.boolean().optional(),
};

export const trafficShiftInputSchema = z.strictObject({
  /** Percent of requests per subset; checked against the service's subsets on the server. */
  weights: z.record(z.string().max(63), z.number()),
  ...writeOptions,
});
export type TrafficShiftInput = z.infer<typeof trafficShiftInputSchema>;

export const STRING_MATCH_TYPES = ["exact", "prefix", "regex"] as const;
export const routeMatchSchema = z.discriminatedUnion("on", [
  z.strictObject({ on: z.literal("header"), header: z.string().regex(/^[A-Za-z0-9-]{1,100}$/, "must be an HTTP header name"), type: z.enum(STRING_MATCH_TYPES), value: z.string().min(1).max(1024) }),
  z.strictObject({ on: z.literal("uri"), type: z.enum(STRING_MATCH_TYPES), value: z.string().min(1).max(1024) }),
]);
export type RouteMatch = z.infer<typeof routeMatchSchema>;

export const requestRoutingInputSchema = z.strictObject({
  /** Tried in this order; the first match wins, as in Istio. */
  rules: z.array(z.strictObject({ match: routeMatchSchema, subset: subsetNameSchema })).max(20),
  /** Where requests matching no rule go. */
  defaultSubset: subsetNameSchema,
  ...writeOptions,
});
export type RequestRoutingInput = z.infer<typeof requestRoutingInputSchema>;

export const faultInjectionInputSchema = z
  .strictObject({
    delay: z.strictObject({ percentage: percentageSchema, fixedDelay: durationSchema }).optional(),
    abort: z.strictObject({ percentage: percentageSchema, httpStatus: z.number().int().min(200).max(599) }).optional(),
    ...writeOptions,
  })
  .refine((input) => input.delay || input.abort, { message: "give a delay, an abort or both" });
export type FaultInjectionInput = z.infer<typeof faultInjectionInputSchema>;

/** The conditions Envoy retries on (https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on), plus gRPC ones. */
export const RETRY_ON = ["5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "refused-stream", "retriable-status-codes", "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable"] as const;

export const timeoutsInputSchema = z
  .strictObject({
    timeout: durationSchema.optional(),
    retries: z
      .strictObject({
        attempts: z.number().int().min(0).max(20),
        perTryTimeout: durationSchema.optional(),
        retryOn: z.array(z.enum(RETRY_ON)).max(RETRY_ON.length).optional(),
      })
      .optional(),
    ...writeOptions,
  })
  .refine((input) => input.timeout || input.retries, { message: "give a timeout, retries or both" });
export type TimeoutsInput = z.infer<typeof timeoutsInputSchema>;

export const circuitBreakingInputSchema = z
  .strictObject({
    connectionPool: z
      .strictObject({
        maxConnections: z.number().int().min(1).optional(),
        http1MaxPendingRequests: z.number().int().min(1).optional(),
        maxRequestsPerConnection: z.number().int().min(0).optional(),
      })
      .optional(),
    outlierDetection: z
      .strictObject({
        consecutive5xxErrors: z.number().int().min(0),
        interval: durationSchema,
        baseEjectionTime: durationSchema,
        maxEjectionPercent: z.number().int().min(0).max(100),
      })
      .optional(),
    ...writeOptions,
  })
  .refine((input) => input.connectionPool || input.outlierDetection, { message: "give a connection pool, outlier detection or both" });
export type CircuitBreakingInput = z.infer<typeof circuitBreakingInputSchema>;

export const mirroringInputSchema = z.strictObject({ subset: subsetNameSchema, percentage: percentageSchema, ...writeOptions });
export type MirroringInput = z.infer<typeof mirroringInputSchema>;

export const rollbackInputSchema = z.strictObject({ resourceVersion: z.string().max(64).optional(), generation: z.number().int().min(0).optional(), api: routingApiSchema.optional(), dryRun: z.boolean().optional() });

/** One entry of the bounded history kept on the VirtualService. */
export const routingHistoryEntrySchema = z.object({
  at: z.string(),
  by: z.string(),
  wizard: z.string(),
  /** Weights before and after, when the change moved weights. */
  from: z.record(z.string(), z.number()).nullable(),
  to: z.record(z.string(), z.number()).nullable(),
});
export type RoutingHistoryEntry = z.infer<typeof routingHistoryEntrySchema>;

const objectStateSchema = z.object({ name: z.string(), resourceVersion: z.string(), createdByConsole: z.boolean() }).nullable();

export const routingStateSchema = z.object({
  namespace: z.string(),
  service: z.string(),
  host: z.string(),
  /** Versions of the service's workloads and whether the DestinationRule already names them. */
  subsets: z.array(z.object({ name: z.string(), inDestinationRule: z.boolean(), workloads: z.array(z.string()), versionService: z.string().nullable().optional() })),
  /** The API the wizards write now: the one in force, or the configured default when nothing routes the service. */
  api: routingApiSchema,
  /** The console's default for a service with no routing (MESH_CONSOLE_DEFAULT_ROUTING_API). */
  defaultApi: routingApiSchema,
  /** Whether the person may still choose the API: only while nothing routes the service. */
  apiChoosable: z.boolean(),
  /** Said when both kinds route the service: which one Istio uses for mesh traffic. */
  routingNote: z.string().optional(),
  httpRoute: z.object({ name: z.string(), resourceVersion: z.string(), generation: z.number().nullable(), createdByConsole: z.boolean() }).nullable(),
  /** Configured split of the default route; null when no VirtualService routes the service by weight. */
  weights: z.record(z.string(), z.number()).nullable(),
  virtualService: objectStateSchema,
  destinationRule: objectStateSchema,
  /** The current objects as YAML, for the diff the wizard shows. */
  yaml: z.object({ virtualService: z.string().nullable(), destinationRule: z.string().nullable(), httpRoute: z.string().nullable().optional() }),
  canWrite: z.boolean(),
  reason: z.string().optional(),
  history: z.array(routingHistoryEntrySchema),
  rollbackAvailable: z.boolean(),
  /** Whether anything the console created is there for "remove" to delete. */
  consoleRouting: z.boolean(),
  /** The service's data plane and waypoint (lib/routing/ambient.ts); absent when it could not be read. */
  ambient: serviceAmbientSchema.optional(),
});
export type RoutingState = z.infer<typeof routingStateSchema>;

const changeSchema = z.object({ kind: z.enum(["VirtualService", "DestinationRule", "HTTPRoute", "Service"]), name: z.string(), action: z.enum(["create", "replace", "delete", "unchanged"]), before: z.string().nullable(), after: z.string().nullable() });
export type RoutingChange = z.infer<typeof changeSchema>;

export const routingWriteResultSchema = z.object({ dryRun: z.boolean(), changes: z.array(changeSchema), weights: z.record(z.string(), z.number()).nullable() });
export type RoutingWriteResult = z.infer<typeof routingWriteResultSchema>;
