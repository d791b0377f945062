/**
 * The browser side of the wizards' HTTP API: reads parsed with the shared schemas, writes sent
 * as JSON with the console's same-origin header (the server refuses writes without it).
 */
import { fetchJson } from "@/lib/apiClient";
import { canaryAnalysisSchema } from "@/lib/routing/canary";
import { routingStateSchema, routingWriteResultSchema, type RoutingWriteResult } from "@/lib/routing/schemas";

export type WizardPath = "traffic-shift" | "traffic-shift/rollback" | "request-routing" | "fault-injection" | "timeouts" | "circuit-breaking" | "mirroring";

export function servicePath(namespace: string, service: string, rest: string): string {
  return `/api/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}/${rest}`;
}

export function fetchRoutingState(namespace: string, service: string) {
  return fetchJson(servicePath(namespace, service, "routing"), routingStateSchema);
}

export function fetchCanaryAnalysis(namespace: string, service: string, windowSeconds: number) {
  return fetchJson(`${servicePath(namespace, service, "canary-analysis")}?window=${windowSeconds}`, canaryAnalysisSchema);
}

const WRITE_HEADERS = { "content-type": "application/json", "x-mesh-console": "1" };

export function sendWizard(namespace: string, service: string, path: WizardPath, body: Record<string, unknown>): Promise<RoutingWriteResult> {
  return fetchJson(servicePath(namespace, service, path), routingWriteResultSchema, { method: path.endsWith("rollback") ? "POST" : "PUT", headers: WRITE_HEADERS, body: JSON.stringify(body) });
}

export function sendRemoval(namespace: string, service: string, query: Record<string, string>): Promise<RoutingWriteResult> {
  return fetchJson(`${servicePath(namespace, service, "routing")}?${new URLSearchParams(query)}`, routingWriteResultSchema, { method: "DELETE", headers: { "x-mesh-console": "1" } });
}
