/**
 * What marks the console's own edits in VirtualServices and DestinationRules, and the copying
 * helpers the wizards share. The kinds themselves (schemas, host rules) live in
 * lib/istio/virtualService.ts and lib/istio/destinationRule.ts; they are re-exported here for the
 * routing modules that import them from this file.
 */
export { DESTINATION_RULE, destinationRuleSchema, type DestinationRule } from "@/lib/istio/destinationRule";
export type { ServiceRef } from "@/lib/istio/host";
export { VIRTUAL_SERVICE, virtualServiceSchema, type HttpRoute, type RouteDestination, type VirtualService } from "@/lib/istio/virtualService";
import type { HttpRoute } from "@/lib/istio/virtualService";

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
