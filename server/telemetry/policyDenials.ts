/**
 * What an AuthorizationPolicy denial looks like in Istio's metrics, for every reader (the graph's
 * denied rate on edges, callers and callees on a workload's page). One definition, read two ways
 * like failedRequests.ts: as PromQL matchers and as a predicate over a sample's response.
 *
 * Envoy's RBAC filter answers a denied request itself with 403 and sets no response flag
 * (envoyproxy/envoy source/extensions/filters/http/rbac/rbac_filter.cc), so a denial is
 * response_code 403 with response_flags "-"; the `rbac_access_denied_matched_policy[…]` details are
 * only in access logs. An app's own 403 looks the same in the metrics, so this is "looks like".
 */
import type { ResponseRate } from "@/lib/health";
import type { LabelCondition } from "./failedRequests";

const FORBIDDEN: LabelCondition = { label: "response_code", matches: true, pattern: "403" };
const NO_FLAG: LabelCondition = { label: "response_flags", matches: true, pattern: "-|" };

/**
 * The denials as branches that exclude one another: a 403 without a response flag that is not a
 * failed gRPC call (failedRequests.ts), i.e. not gRPC, or gRPC with an OK or no status.
 */
export const POLICY_DENIAL: readonly (readonly LabelCondition[])[] = [
  [FORBIDDEN, NO_FLAG, { label: "request_protocol", matches: false, pattern: "grpc" }],
  [FORBIDDEN, NO_FLAG, { label: "request_protocol", matches: true, pattern: "grpc" }, { label: "grpc_response_status", matches: true, pattern: "0|-|" }],
];

/** Whether these requests look like an AuthorizationPolicy denial: HTTP 403 and not failed (a response flag makes them failed). */
export function isPolicyDenial(response: ResponseRate): boolean {
  return response.code === "403" && !response.failed;
}
