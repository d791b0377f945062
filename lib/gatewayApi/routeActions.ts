/**
 * What a chosen HTTPRoute/GRPCRoute rule does with a request, as Istio configures Envoy for it:
 * the weighted split over backendRefs (with the specification's 500 for the share of backends
 * that do not resolve), RequestMirror, header modifiers, URLRewrite, RequestRedirect and
 * `timeouts`. Pure; resolving a backendRef to a Service is the caller's (it knows the cluster).
 * https://gateway-api.sigs.k8s.io/reference/spec/#httproutefilter
 */
import type {
  IBackendObjectReference,
  IHTTPBackendRef,
  IHTTPHeaderFilter,
  IHTTPRouteFilter,
  IHTTPRouteRule,
  IGRPCBackendRef,
  IGRPCRouteRule,
} from "./types";
import { normalizeBackendRef } from "./references";
import { effectivePathMatch, pathPrefixMatches } from "./routeMatching";
import type { IHTTPRouteMatch } from "./types";

/** A backendRef with the CRD defaults (group "", kind Service, the route's namespace) and its weight (default 1). */
export type BackendKey = ReturnType<typeof normalizeBackendRef> & { readonly weight: number };

function backendKey(ref: IBackendObjectReference & { weight?: number }, routeNamespace: string): BackendKey {
  return { ...normalizeBackendRef(ref, routeNamespace), weight: ref.weight ?? 1 };
}

/** Why a backend cannot take traffic; the caller's resolver says so (missing Service, port not exposed, no ReferenceGrant, …). */
export type BackendResolution<T> = { ok: true; target: T } | { ok: false; reason: string };

export type BackendShare<T> =
  | { kind: "backend"; share: number; backend: BackendKey; target: T }
  /** The specification's answer for traffic that would have gone to an invalid backend. */
  | { kind: "error"; share: number; status: 500; reason: string; backend?: BackendKey };

/**
 * The rule's split: each backend's share is weight / (sum of weights); weight 0 gets nothing. A
 * backend the resolver refuses answers 500 for its share (Istio turns that share into an abort
 * fault), and a rule whose weights are all 0, or that has no backend, answers 500 for everything.
 */
export function weightedBackends<T>(
  backendRefs: ReadonlyArray<IHTTPBackendRef | IGRPCBackendRef> | undefined,
  routeNamespace: string,
  resolve: (backend: BackendKey, index: number) => BackendResolution<T>,
): Array<BackendShare<T>> {
  const backends = (backendRefs ?? []).map((ref) => backendKey(ref, routeNamespace));
  const total = backends.reduce((sum, backend) => sum + backend.weight, 0);
  if (total === 0) {
    const reason = backends.length === 0 ? "the rule has no backendRefs" : "every backendRef has weight 0";
    return [{ kind: "error", share: 1, status: 500, reason }];
  }
  const shares: Array<BackendShare<T>> = [];
  for (const [index, backend] of backends.entries()) {
    if (backend.weight === 0) continue;
    const share = backend.weight / total;
    const resolved = resolve(backend, index);
    shares.push(resolved.ok ? { kind: "backend", share, backend, target: resolved.target } : { kind: "error", share, status: 500, reason: resolved.reason, backend });
  }
  return shares;
}

/**
 * Gateway API Duration (GEP-2257): up to four `<number><unit>` parts with units h, m, s, ms, such
 * as "1h30m" or "500ms". Returns milliseconds, or undefined when the text is not such a duration.
 */
export function parseGatewayDurationMs(text: string): number | undefined {
  if (!/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(text)) return undefined;
  const factors: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const part of text.matchAll(/([0-9]{1,5})(ms|h|m|s)/g)) total += Number(part[1]) * (factors[part[2] ?? ""] ?? 0);
  return total;
}

export interface RuleTimeouts {
  /** The whole request, retries included (Envoy's route timeout); undefined: none. */
  requestMs?: number;
  /** Each try to a backend (Envoy's per-try timeout); undefined: none. */
  backendRequestMs?: number;
}

/** `timeouts` of an HTTPRoute rule; a zero duration disables that timeout, as the specification says. */
export function ruleTimeouts(rule: Pick<IHTTPRouteRule, "timeouts">): RuleTimeouts {
  const read = (value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const ms = parseGatewayDurationMs(value);
    return ms === undefined || ms === 0 ? undefined : ms;
  };
  const requestMs = read(rule.timeouts?.request);
  const backendRequestMs = read(rule.timeouts?.backendRequest);
  return { ...(requestMs !== undefined ? { requestMs } : {}), ...(backendRequestMs !== undefined ? { backendRequestMs } : {}) };
}

export interface MirrorAction {
  backend: BackendKey;
  /** Share of requests shadowed (0..1): `percent`/100, or `fraction` numerator/denominator (default 100); all by default. */
  share: number;
}

function mirrorShare(filter: NonNullable<IHTTPRouteFilter["requestMirror"]>): number {
  if (filter.fraction) {
    const denominator = filter.fraction.denominator ?? 100;
    return denominator > 0 ? Math.min(1, filter.fraction.numerator / denominator) : 0;
  }
  if (filter.percent !== undefined) return Math.min(1, filter.percent / 100);
  return 1;
}

/** A header modifier applied to a header map (names compared without case; `set` replaces, `add` appends with a comma, `remove` deletes). */
export function applyHeaderFilter(headers: Readonly<Record<string, string>>, filter: IHTTPHeaderFilter | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  if (!filter) return result;
  for (const header of filter.set ?? []) result[header.name.toLowerCase()] = header.value;
  for (const header of filter.add ?? []) {
    const name = header.name.toLowerCase();
    result[name] = result[name] === undefined ? header.value : `${result[name]},${header.value}`;
  }
  for (const name of filter.remove ?? []) delete result[name.toLowerCase()];
  return result;
}

/**
 * The path after a ReplaceFullPath or ReplacePrefixMatch modifier. ReplacePrefixMatch replaces the
 * matched PathPrefix segment-wise (`/foo` → `/bar` turns `/foo/x` into `/bar/x`); the query string is kept.
 */
export function modifiedPath(
  path: string,
  modifier: { type: string; replaceFullPath?: string; replacePrefixMatch?: string } | undefined,
  match: IHTTPRouteMatch | undefined,
): string {
  if (!modifier) return path;
  const at = path.indexOf("?");
  const bare = at < 0 ? path : path.slice(0, at);
  const query = at < 0 ? "" : path.slice(at);
  if (modifier.type === "ReplaceFullPath") return `${modifier.replaceFullPath ?? "/"}${query}`;
  const pathMatch = effectivePathMatch(match);
  if (modifier.type !== "ReplacePrefixMatch" || pathMatch.type !== "PathPrefix" || !pathPrefixMatches(pathMatch.value, bare)) return path;
  const prefix = pathMatch.value.length > 1 ? pathMatch.value.replace(/\/+$/, "") : "";
  const rest = bare.slice(prefix.length);
  const replacement = (modifier.replacePrefixMatch ?? "/").replace(/\/+$/, "");
  const joined = `${replacement}${rest}`;
  return `${joined === "" ? "/" : joined.startsWith("/") ? joined : `/${joined}`}${query}`;
}

export interface RedirectAction {
  statusCode: number;
  location: string;
}

export interface RequestFacts {
  scheme: "http" | "https";
  host: string;
  port?: number;
  path: string;
  headers: Readonly<Record<string, string>>;
}

export type RuleOutcome<T> =
  | {
      kind: "forward";
      backends: Array<BackendShare<T>>;
      /** The request as the backend receives it (after header modifiers and URLRewrite). */
      request: RequestFacts;
      responseHeaders?: IHTTPHeaderFilter;
      mirrors: MirrorAction[];
      timeouts: RuleTimeouts;
    }
  /** RequestRedirect: the proxy answers 3xx itself (302 by default) and calls no backend. */
  | { kind: "redirect"; redirect: RedirectAction; responseHeaders?: IHTTPHeaderFilter };

/**
 * Applies an HTTPRoute rule's filters in the order the specification gives them meaning: header
 * modifiers and URLRewrite change what is forwarded, RequestMirror shadows a share of it,
 * RequestRedirect answers without a backend.
 */
export function applyHttpRule<T>(
  rule: IHTTPRouteRule,
  match: IHTTPRouteMatch | undefined,
  routeNamespace: string,
  request: RequestFacts,
  resolve: (backend: BackendKey, index: number) => BackendResolution<T>,
): RuleOutcome<T> {
  const filters = rule.filters ?? [];
  const responseHeaders = filters.find((f) => f.type === "ResponseHeaderModifier")?.responseHeaderModifier;
  const redirect = filters.find((f) => f.type === "RequestRedirect")?.requestRedirect;
  if (redirect) {
    const scheme = redirect.scheme ?? request.scheme;
    const host = redirect.hostname ?? request.host.replace(/:\d+$/, "");
    // A port given, or kept when the scheme stays; the scheme's well-known port is left out.
    const port = redirect.port ?? (redirect.scheme === undefined ? request.port : undefined);
    const portText = port === undefined || (scheme === "http" && port === 80) || (scheme === "https" && port === 443) ? "" : `:${port}`;
    const path = modifiedPath(request.path, redirect.path, match);
    return { kind: "redirect", redirect: { statusCode: redirect.statusCode ?? 302, location: `${scheme}://${host}${portText}${path}` }, ...(responseHeaders ? { responseHeaders } : {}) };
  }
  let forwarded: RequestFacts = { ...request };
  for (const filter of filters) {
    if (filter.type === "RequestHeaderModifier") forwarded = { ...forwarded, headers: applyHeaderFilter(forwarded.headers, filter.requestHeaderModifier) };
    if (filter.type === "URLRewrite" && filter.urlRewrite) {
      forwarded = {
        ...forwarded,
        host: filter.urlRewrite.hostname ?? forwarded.host,
        path: modifiedPath(forwarded.path, filter.urlRewrite.path, match),
      };
    }
  }
  const mirrors = filters.flatMap((filter): MirrorAction[] =>
    filter.type === "RequestMirror" && filter.requestMirror
      ? [{ backend: backendKey(filter.requestMirror.backendRef, routeNamespace), share: mirrorShare(filter.requestMirror) }]
      : [],
  );
  return {
    kind: "forward",
    backends: weightedBackends(rule.backendRefs, routeNamespace, resolve),
    request: forwarded,
    ...(responseHeaders ? { responseHeaders } : {}),
    mirrors,
    timeouts: ruleTimeouts(rule),
  };
}

/** A GRPCRoute rule: header modifiers and mirrors as for HTTP; gRPC has no redirect, rewrite or timeouts field. */
export function applyGrpcRule<T>(
  rule: IGRPCRouteRule,
  routeNamespace: string,
  request: RequestFacts,
  resolve: (backend: BackendKey, index: number) => BackendResolution<T>,
): Extract<RuleOutcome<T>, { kind: "forward" }> {
  let headers = request.headers;
  const mirrors: MirrorAction[] = [];
  let responseHeaders: IHTTPHeaderFilter | undefined;
  for (const filter of rule.filters ?? []) {
    if (filter.type === "RequestHeaderModifier") headers = applyHeaderFilter(headers, filter.requestHeaderModifier);
    if (filter.type === "ResponseHeaderModifier") responseHeaders = filter.responseHeaderModifier;
    if (filter.type === "RequestMirror" && filter.requestMirror) {
      mirrors.push({ backend: backendKey(filter.requestMirror.backendRef, routeNamespace), share: mirrorShare(filter.requestMirror) });
    }
  }
  return {
    kind: "forward",
    backends: weightedBackends(rule.backendRefs, routeNamespace, resolve),
    request: { ...request, headers },
    ...(responseHeaders ? { responseHeaders } : {}),
    mirrors,
    timeouts: {},
  };
}
