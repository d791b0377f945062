/**
 * Health from the requests an object received, shared by the graph, the lists and the overview so
 * a service is called "failing" by the same rule everywhere. Out of the box one rule: any share of
 * failed requests (5xx, no response, an Envoy response flag, a failed gRPC call: the console's one
 * definition, server/telemetry/failedRequests.ts) at or above 0.1 % degrades, 20 % or more fails,
 * the defaults Kiali users know.
 *
 * Like Kiali's health configuration (kiali/kiali#1424), the rules can be set per status-code class
 * and protocol for the whole console (MESH_CONSOLE_HEALTH_THRESHOLDS) and overridden per namespace,
 * service or workload by the annotation `mesh-console.io/health-thresholds`, in one format:
 *
 *   rule[;rule…]   rule = [http:|grpc:|any:]codes=degraded%/failing%   or   [protocol:]codes=ignore
 *
 * `codes` is a comma list of `failed` (the definition above), an HTTP class (`4xx`), an HTTP code
 * (`404`), or with `grpc:` a gRPC status (`14`). A threshold may be `-` (never). `ignore` makes the
 * matching responses never count as errors for any rule (404 is not an error for this service).
 * A share is the matching requests over all requests of the rule's protocol. A rule replaces the
 * inherited one with the same protocol and codes; the others still apply. Example:
 *   failed=0.1%/20%;http:4xx=10%/-
 */
import { z } from "zod";

export const HEALTH_STATES = ["healthy", "degraded", "failing", "no-traffic"] as const;
export type Health = (typeof HEALTH_STATES)[number];

/** Error shares (0..1) at which health changes by default; a share equal to a threshold is already the worse state. */
export const ERROR_RATE_THRESHOLDS = { degraded: 0.001, failing: 0.2 } as const;

/** The annotation that overrides health rules on a Namespace, Service or Deployment. */
export const HEALTH_ANNOTATION = "mesh-console.io/health-thresholds";

export const HEALTH_PROTOCOLS = ["any", "http", "grpc"] as const;
export type HealthProtocol = (typeof HEALTH_PROTOCOLS)[number];

export interface HealthRule {
  protocol: HealthProtocol;
  /** `failed`, HTTP classes (`4xx`), HTTP codes (`404`), or gRPC statuses (`14`) for grpc rules. */
  codes: string[];
  /** Shares (0..1) at which the rule degrades and fails; null: never. Both null with `ignore`. */
  degraded: number | null;
  failing: number | null;
  /** The matching responses are never errors, for any rule. */
  ignore: boolean;
}

export type HealthThresholds = readonly HealthRule[];

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = [{ protocol: "any", codes: ["failed"], degraded: ERROR_RATE_THRESHOLDS.degraded, failing: ERROR_RATE_THRESHOLDS.failing, ignore: false }];

const CODE = /^(failed|[1-5]xx|\d{1,3})$/;
const PERCENT = /^(-|\d+(?:\.\d+)?%?)$/;

function parseRule(text: string): HealthRule | string {
  const [head = "", value = "", ...rest] = text.split("=").map((part) => part.trim());
  if (rest.length > 0 || !head || !value) return `expected codes=degraded%/failing% or codes=ignore, got ${JSON.stringify(text)}`;
  const colon = head.indexOf(":");
  const protocol = colon === -1 ? "any" : head.slice(0, colon).trim();
  if (!(HEALTH_PROTOCOLS as readonly string[]).includes(protocol)) return `unknown protocol ${JSON.stringify(protocol)} in ${JSON.stringify(text)} (expected http, grpc or any)`;
  const codes = head.slice(colon + 1).split(",").map((code) => code.trim().toLowerCase());
  const wrong = codes.filter((code) => !CODE.test(code) || (protocol === "grpc" && /xx$/.test(code)));
  if (wrong.length > 0) return `unknown codes ${wrong.map((code) => JSON.stringify(code)).join(", ")} in ${JSON.stringify(text)} (expected failed, a class such as 4xx, or a code such as 404; gRPC statuses such as 14 with grpc:)`;
  const rule = { protocol: protocol as HealthProtocol, codes };
  if (value.toLowerCase() === "ignore") return { ...rule, degraded: null, failing: null, ignore: true };
  const [degraded = "", failing = "", ...more] = value.split("/").map((part) => part.trim());
  if (more.length > 0 || !PERCENT.test(degraded) || !PERCENT.test(failing)) return `expected degraded%/failing% such as 10%/20% (or - for never), got ${JSON.stringify(value)}`;
  const share = (percent: string) => (percent === "-" ? null : Number(percent.replace("%", "")) / 100);
  const [degradedShare, failingShare] = [share(degraded), share(failing)];
  if ((degradedShare ?? 0) > 1 || (failingShare ?? 0) > 1) return `a threshold is a percentage of requests, at most 100 %, got ${JSON.stringify(value)}`;
  if (degradedShare !== null && failingShare !== null && degradedShare > failingShare) return `degraded (${degraded}) must not be above failing (${failing}) in ${JSON.stringify(text)}`;
  return { ...rule, degraded: degradedShare, failing: failingShare, ignore: false };
}

/** Health rules from their text (the setting or an annotation); every rule that is wrong is a zod issue naming it. */
export const healthThresholdsSchema = z.string().transform((text, context): HealthRule[] => {
  const rules: HealthRule[] = [];
  for (const part of text.split(";").map((entry) => entry.trim()).filter(Boolean)) {
    const rule = parseRule(part);
    if (typeof rule === "string") context.addIssue({ code: "custom", message: rule });
    else rules.push(rule);
  }
  return rules;
});

/** The rules of `text`, or the problems that make it unusable (nothing of a wrong value is used). */
export function parseHealthThresholds(text: string): { rules: HealthRule[]; problems: string[] } {
  const parsed = healthThresholdsSchema.safeParse(text);
  return parsed.success ? { rules: parsed.data, problems: [] } : { rules: [], problems: parsed.error.issues.map((issue) => issue.message) };
}

const ruleKey = (rule: HealthRule) => `${rule.protocol}:${[...rule.codes].sort().join(",")}`;

/** `inherited` with each rule of `overrides` replacing the one with the same protocol and codes. */
export function mergeHealthThresholds(inherited: HealthThresholds, overrides: HealthThresholds): HealthRule[] {
  const byKey = new Map(inherited.map((rule) => [ruleKey(rule), rule]));
  for (const rule of overrides) byKey.set(ruleKey(rule), rule);
  return [...byKey.values()];
}

const percentText = (share: number | null) => (share === null ? "-" : `${Number((share * 100).toPrecision(6))}%`);

/** The rules as the setting and annotations write them, for explanations. */
export function formatHealthThresholds(rules: HealthThresholds): string {
  return rules.map((rule) => `${rule.protocol === "any" ? "" : `${rule.protocol}:`}${rule.codes.join(",")}=${rule.ignore ? "ignore" : `${percentText(rule.degraded)}/${percentText(rule.failing)}`}`).join(";");
}

const percentWords = (share: number) => `${Number((share * 100).toPrecision(6))} %`;

/** The rules in words, one sentence each, for where the console explains health. */
export function explainHealthThresholds(rules: HealthThresholds): string[] {
  return rules.map((rule) => {
    const codes = rule.codes.map((code) => (code === "failed" ? "failed requests (5xx, no response, an Envoy response flag, a failed gRPC call)" : rule.protocol === "grpc" ? `gRPC status ${code}` : code)).join(", ");
    const scope = rule.protocol === "any" ? "" : ` of ${rule.protocol.toUpperCase()} requests`;
    if (rule.ignore) return `${codes}${scope}: never counted as errors`;
    const limits = [rule.degraded === null ? null : `degraded at ${percentWords(rule.degraded)}`, rule.failing === null ? null : `failing at ${percentWords(rule.failing)}`].filter(Boolean);
    return `${codes}${scope}: ${limits.length ? limits.join(", ") : "not judged"}`;
  });
}

/** Requests per second of one kind of response, classified by the server. */
export interface ResponseRate {
  /** Istio's request_protocol: http, grpc. */
  protocol: string;
  /** HTTP response code; "0" when nobody answered. */
  code: string;
  /** gRPC status for gRPC calls, "" otherwise. */
  grpcStatus: string;
  /** Whether these requests failed as the console defines it. */
  failed: boolean;
  rate: number;
}

function protocolMatches(rule: HealthRule, response: ResponseRate): boolean {
  return rule.protocol === "any" || (rule.protocol === "grpc" ? response.protocol === "grpc" : response.protocol !== "grpc");
}

function codeMatches(rule: HealthRule, response: ResponseRate): boolean {
  return rule.codes.some((code) => {
    if (code === "failed") return response.failed;
    if (code.endsWith("xx")) return response.code.length === 3 && response.code[0] === code[0];
    return rule.protocol === "grpc" ? response.grpcStatus === code : response.code === code;
  });
}

export interface JudgedTraffic {
  health: Health;
  requestsPerSecond: number;
  failedPerSecond: number;
}

/**
 * Health of an object from the requests it received, by kind of response, and its TCP bytes per
 * second: an object with only TCP traffic is healthy (TCP carries no error signal), one with
 * neither has "no-traffic". Each rule's share is its matching requests over the requests of its
 * protocol; the worst rule wins.
 */
export function healthFromResponses(responses: readonly ResponseRate[], tcpBytesPerSecond = 0, thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): JudgedTraffic {
  const requestsPerSecond = responses.reduce((sum, response) => sum + response.rate, 0);
  const failedPerSecond = responses.reduce((sum, response) => sum + (response.failed ? response.rate : 0), 0);
  if (!(requestsPerSecond > 0)) return { health: tcpBytesPerSecond > 0 ? "healthy" : "no-traffic", requestsPerSecond: 0, failedPerSecond: 0 };
  const ignored = thresholds.filter((rule) => rule.ignore);
  const counted = responses.filter((response) => !ignored.some((rule) => protocolMatches(rule, response) && codeMatches(rule, response)));
  let health: Health = "healthy";
  for (const rule of thresholds) {
    if (rule.ignore) continue;
    const all = responses.filter((response) => protocolMatches(rule, response)).reduce((sum, response) => sum + response.rate, 0);
    if (!(all > 0)) continue;
    const share = counted.filter((response) => protocolMatches(rule, response) && codeMatches(rule, response)).reduce((sum, response) => sum + response.rate, 0) / all;
    if (rule.failing !== null && share >= rule.failing) return { health: "failing", requestsPerSecond, failedPerSecond };
    if (rule.degraded !== null && share >= rule.degraded) health = "degraded";
  }
  return { health, requestsPerSecond, failedPerSecond };
}

/**
 * `requestsPerSecond` of which `errorsPerSecond` failed, judged by the default rule. Without
 * requests there is nothing to judge: an idle service is "no-traffic", not healthy.
 */
export function healthFromErrorRate(requestsPerSecond: number, errorsPerSecond: number): Health {
  if (!(requestsPerSecond > 0)) return "no-traffic";
  const response = (failed: boolean, rate: number): ResponseRate => ({ protocol: "http", code: failed ? "500" : "200", grpcStatus: "", failed, rate });
  return healthFromResponses([response(true, errorsPerSecond), response(false, requestsPerSecond - errorsPerSecond)]).health;
}

/** Words for people and screen readers, so health is never told by colour alone. */
export const HEALTH_LABELS: Record<Health, string> = {
  healthy: "Healthy",
  degraded: "Degraded",
  failing: "Failing",
  "no-traffic": "No traffic",
};
