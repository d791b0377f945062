/**
 * What a failed request is, for every figure the console shows: the graph, the lists, the detail
 * charts, callers and callees, the canary verdict. One definition, kept as data, read two ways: as
 * PromQL matchers (figures Prometheus adds up) and as a predicate over a sample's labels (figures
 * the console adds up from samples grouped by their response labels). Both read the same table,
 * and server/telemetry/agreement.test.ts checks against a real Prometheus that they agree.
 *
 * Istio reports one `istio_requests_total` series per response (https://istio.io/latest/docs/reference/config/metrics/#labels),
 * and a request failed, as Kiali counts it, when:
 * - the server answered 5xx, or nobody answered (`response_code` 0: reset or timed out before a
 *   response; also a series without the label);
 * - Envoy set a response flag (https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#config-access-log-format-response-flags):
 *   UH no healthy upstream, UF connection failure, NR no route, UT upstream timeout, URX retries
 *   exhausted, … whatever the code ("-" or nothing means no flag);
 * - a gRPC call ended with a status other than OK, although HTTP said 200
 *   (https://grpc.github.io/grpc/core/md_doc_statuscodes.html), e.g. 14 UNAVAILABLE.
 * 4xx are the client's mistakes and not failures here; health settings may still count them
 * (lib/health.ts).
 */
import type { ResponseRate } from "@/lib/health";
import { assertLabelName, quoteLabelValue } from "@/server/prometheus/promql";

/** The labels a sample must keep for the console to tell whether it failed. */
export const RESPONSE_LABELS = ["request_protocol", "response_code", "grpc_response_status", "response_flags"] as const;

/**
 * A constant condition on one label, written here and never from a request. `pattern` is an RE2
 * regex that, like Prometheus' own, must match the whole value; a missing label reads as "".
 */
export interface LabelCondition {
  label: (typeof RESPONSE_LABELS)[number];
  matches: boolean;
  pattern: string;
}

const SERVER_ERROR_OR_NO_RESPONSE = "5..|0|";
const NO_FLAG = "-|";
const GRPC_OK = "0|-|";

/**
 * The failed requests as branches that exclude one another, so their rates can be added up
 * without counting a request twice: a request is failed when all conditions of one branch hold.
 */
export const FAILED_REQUEST: readonly (readonly LabelCondition[])[] = [
  [{ label: "response_code", matches: true, pattern: SERVER_ERROR_OR_NO_RESPONSE }],
  [
    { label: "response_code", matches: false, pattern: SERVER_ERROR_OR_NO_RESPONSE },
    { label: "response_flags", matches: false, pattern: NO_FLAG },
  ],
  [
    { label: "response_code", matches: false, pattern: SERVER_ERROR_OR_NO_RESPONSE },
    { label: "response_flags", matches: true, pattern: NO_FLAG },
    { label: "request_protocol", matches: true, pattern: "grpc" },
    { label: "grpc_response_status", matches: false, pattern: GRPC_OK },
  ],
];

const compiled = new Map<string, RegExp>();
function fullMatch(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}

export function conditionsHold(labels: Readonly<Record<string, string>>, conditions: readonly LabelCondition[]): boolean {
  return conditions.every((condition) => fullMatch(condition.pattern, labels[condition.label] ?? "") === condition.matches);
}

/** Whether the requests of a sample with these labels failed (see FAILED_REQUEST). */
export function isFailedRequest(labels: Readonly<Record<string, string>>): boolean {
  return FAILED_REQUEST.some((branch) => conditionsHold(labels, branch));
}

/** `label=~"…"` / `label!~"…"` for each condition, quoted by promql.ts like every other value. */
function conditionMatchers(conditions: readonly LabelCondition[]): string[] {
  return conditions.map((condition) => `${assertLabelName(condition.label)}${condition.matches ? "=~" : "!~"}${quoteLabelValue(condition.pattern)}`);
}

/**
 * A selector built by promql.ts's `selector()` narrowed by constant conditions. promql.ts has no
 * negative regex matcher, so the conditions are added to its output here; they never carry input.
 */
export function narrowSelector(built: string, conditions: readonly LabelCondition[]): string {
  if (conditions.length === 0) return built;
  if (!built.startsWith("{") || !built.endsWith("}")) throw new Error(`Not a selector built by promql.ts: ${built}`);
  const inner = built.slice(1, -1);
  return `{${[...(inner ? [inner] : []), ...conditionMatchers(conditions)].join(",")}}`;
}

/** A sample of requests per second, by its response labels, as health reads it (lib/health.ts). */
export function responseRateOf(labels: Readonly<Record<string, string>>, rate: number): ResponseRate {
  return { protocol: labels.request_protocol ?? "", code: labels.response_code ?? "", grpcStatus: labels.grpc_response_status ?? "", failed: isFailedRequest(labels), rate };
}
