/**
 * The browser side of the wizards' HTTP API, through the one API client: reads parsed with the
 * shared schemas, writes to the endpoint a wizard's registry entry (lib/routing/wizards.ts) names.
 */
import { fetchJson, sendJson } from "@/lib/apiClient";
import { waypointEnrolmentResultSchema, type WaypointEnrolmentInput, type WaypointEnrolmentResult } from "@/lib/routing/ambient";
import { canaryAnalysisSchema } from "@/lib/routing/canary";
import { routingStateSchema, routingWriteResultSchema, type RoutingWriteResult } from "@/lib/routing/schemas";
import { servicePath, type RoutingWrite } from "@/lib/routing/wizards";

export function fetchRoutingState(namespace: string, service: string) {
  return fetchJson(servicePath(namespace, service, "routing"), routingStateSchema);
}

/** `backends`: the version Services a Gateway API route sends to, counted as the service's requests. */
export function fetchCanaryAnalysis(namespace: string, service: string, windowSeconds: number, backends: readonly string[] = [], behindWaypoint = false) {
  const query = new URLSearchParams({ window: String(windowSeconds), ...(backends.length > 0 ? { backends: backends.join(",") } : {}), ...(behindWaypoint ? { waypoint: "true" } : {}) });
  return fetchJson(`${servicePath(namespace, service, "canary-analysis")}?${query}`, canaryAnalysisSchema);
}

export function sendWizard(namespace: string, service: string, wizard: RoutingWrite, body: Record<string, unknown>): Promise<RoutingWriteResult> {
  return sendJson(wizard.method, servicePath(namespace, service, wizard.path), body, routingWriteResultSchema);
}

export function sendRemoval(namespace: string, service: string, query: Record<string, string>): Promise<RoutingWriteResult> {
  return sendJson("DELETE", `${servicePath(namespace, service, "routing")}?${new URLSearchParams(query)}`, undefined, routingWriteResultSchema);
}

export function sendWaypointEnrolment(namespace: string, service: string, body: WaypointEnrolmentInput): Promise<WaypointEnrolmentResult> {
  return sendJson("POST", servicePath(namespace, service, "waypoint-enrolment"), body, waypointEnrolmentResultSchema);
}
