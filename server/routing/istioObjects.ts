/**
 * VirtualService and DestinationRule as the wizards read and write them. The schemas are loose on
 * purpose: a wizard edits a few fields and must hand every other field (its own or a newer Istio's)
 * back to the API server unchanged.
 */
import { z } from "zod";
import { toFqdn } from "@/server/validation/hosts";

const metadataSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  resourceVersion: z.string().optional(),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
});

const destinationSchema = z.looseObject({ host: z.string(), subset: z.string().optional() });
export const routeDestinationSchema = z.looseObject({ destination: destinationSchema, weight: z.number().optional() });
export const httpRouteSchema = z.looseObject({
  name: z.string().optional(),
  match: z.array(z.record(z.string(), z.unknown())).optional(),
  route: z.array(routeDestinationSchema).optional(),
});

export const virtualServiceSchema = z.looseObject({
  apiVersion: z.string().default("networking.istio.io/v1"),
  kind: z.literal("VirtualService").default("VirtualService"),
  metadata: metadataSchema,
  spec: z.looseObject({
    hosts: z.array(z.string()).optional(),
    gateways: z.array(z.string()).optional(),
    http: z.array(httpRouteSchema).optional(),
  }),
});

export const subsetSchema = z.looseObject({ name: z.string(), labels: z.record(z.string(), z.string()).optional() });
export const destinationRuleSchema = z.looseObject({
  apiVersion: z.string().default("networking.istio.io/v1"),
  kind: z.literal("DestinationRule").default("DestinationRule"),
  metadata: metadataSchema,
  spec: z.looseObject({
    host: z.string(),
    subsets: z.array(subsetSchema).optional(),
    trafficPolicy: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type VirtualService = z.infer<typeof virtualServiceSchema>;
export type HttpRoute = z.infer<typeof httpRouteSchema>;
export type RouteDestination = z.infer<typeof routeDestinationSchema>;
export type DestinationRule = z.infer<typeof destinationRuleSchema>;
export type Subset = z.infer<typeof subsetSchema>;

export const VIRTUAL_SERVICE = { kind: "VirtualService", group: "networking.istio.io", version: "v1", plural: "virtualservices" } as const;
export const DESTINATION_RULE = { kind: "DestinationRule", group: "networking.istio.io", version: "v1", plural: "destinationrules" } as const;

/** Label on objects the console created as a whole; "remove" may delete those. */
export const CREATED_BY_LABEL = "mesh-console.io/created-by";
export const CREATED_BY_VALUE = "mesh-console";
/** HTTP routes the console added are named with this prefix; "remove" deletes only those. */
export const CONSOLE_ROUTE_PREFIX = "mesh-console-";
export const DEFAULT_ROUTE_NAME = `${CONSOLE_ROUTE_PREFIX}default`;
/** DestinationRule subsets the console added, comma separated. */
export const CREATED_SUBSETS_ANNOTATION = "mesh-console.io/created-subsets";
/** DestinationRule traffic-policy fields the circuit-breaking wizard set, comma separated. */
export const MANAGED_POLICY_ANNOTATION = "mesh-console.io/managed-traffic-policy";

/** Where the service stands in the routing objects: its name, namespace and the host it answers to. */
export interface ServiceRef {
  readonly namespace: string;
  readonly service: string;
}

/** Whether `host`, written in an object of `objectNamespace`, names the service (short, namespaced or full name). */
export function namesService(host: string, objectNamespace: string, ref: ServiceRef): boolean {
  return toFqdn(host, objectNamespace) === toFqdn(ref.service, ref.namespace) || host === `${ref.service}.${ref.namespace}`;
}

export function createdByConsole(object: { metadata: { labels?: Record<string, string> | null } }): boolean {
  return object.metadata.labels?.[CREATED_BY_LABEL] === CREATED_BY_VALUE;
}

export function isConsoleRoute(route: HttpRoute): boolean {
  return route.name?.startsWith(CONSOLE_ROUTE_PREFIX) ?? false;
}

export function listAnnotation(object: { metadata: { annotations?: Record<string, string> | null } }, key: string): string[] {
  const value = object.metadata.annotations?.[key];
  return value ? value.split(",").filter(Boolean) : [];
}

/** Sets (or with an empty list, drops) a comma-separated annotation. */
export function setListAnnotation<T extends { metadata: { annotations?: Record<string, string> | null } }>(object: T, key: string, values: readonly string[]): void {
  const annotations = { ...(object.metadata.annotations ?? {}) };
  if (values.length > 0) annotations[key] = [...new Set(values)].join(",");
  else delete annotations[key];
  object.metadata.annotations = Object.keys(annotations).length > 0 ? annotations : undefined;
}

/** Deep copy through JSON: Kubernetes objects are JSON. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The fields a person wrote, without what the API server keeps for itself, for diffs and rollbacks. */
export function withoutServerFields<T extends { metadata: Record<string, unknown> }>(object: T): T {
  const copy = clone(object);
  for (const field of ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink"]) delete copy.metadata[field];
  delete (copy as Record<string, unknown>).status;
  return copy;
}
