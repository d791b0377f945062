/**
 * Which HTTPRoute or GRPCRoute rule a request takes, as the Gateway API specification orders them
 * and as Istio's gateway controller translates them for Envoy. Pure: objects and a request in, a
 * choice out. What the chosen rule then does (backends, filters, timeouts) is in routeActions.ts.
 * https://gateway-api.sigs.k8s.io/reference/spec/#httproutematch
 * https://gateway-api.sigs.k8s.io/mesh/#gateway-api-for-mesh (GAMMA: a Service as parent)
 */
import type {
  IGRPCRouteMatch,
  IGRPCRouteRule,
  IHTTPRouteMatch,
  IHTTPRouteRule,
  IParentReference,
} from "./types";
import { GATEWAY_API_GROUP, normalizeParentRef } from "./references";


/** The metadata routing reads; the models' ObjectMeta fits it. */
export interface RouteMeta {
  name?: string;
  namespace?: string;
  creationTimestamp?: string | Date;
}

export interface HTTPRouteLike {
  metadata?: RouteMeta;
  spec?: { parentRefs?: IParentReference[]; hostnames?: string[]; rules?: IHTTPRouteRule[] };
}

export interface GRPCRouteLike {
  metadata?: RouteMeta;
  spec?: { parentRefs?: IParentReference[]; hostnames?: string[]; rules?: IGRPCRouteRule[] };
}

/** A request as the proxy sees it. Header names in any case; `path` may carry a query string. */
export interface HTTPRequestFacts {
  host: string;
  path: string;
  method: string;
  headers: Readonly<Record<string, string>>;
}

export function routeNamespaceOf(route: { metadata?: RouteMeta }): string {
  return route.metadata?.namespace ?? "default";
}

/** What a request enters through: a Gateway's listener (ingress) or a Service's port (mesh, GAMMA). */
export type RouteParent =
  | { kind: "Gateway"; namespace: string; name: string; listener: { name: string; port: number; hostname?: string } }
  | { kind: "Service"; namespace: string; name: string; port: number };

/** Whether one of the route's parentRefs names this parent (listener by sectionName or port; Service port when given). */
export function routeTargetsParent(route: HTTPRouteLike | GRPCRouteLike, parent: RouteParent): boolean {
  const namespace = routeNamespaceOf(route);
  return (route.spec?.parentRefs ?? []).some((raw) => {
    const ref = normalizeParentRef(raw, namespace);
    if (ref.namespace !== parent.namespace || ref.name !== parent.name) return false;
    if (parent.kind === "Service") {
      return ref.group === "" && ref.kind === "Service" && (ref.port === undefined || ref.port === parent.port);
    }
    if (ref.group !== GATEWAY_API_GROUP || ref.kind !== "Gateway") return false;
    if (ref.sectionName !== undefined && ref.sectionName !== parent.listener.name) return false;
    return ref.port === undefined || ref.port === parent.listener.port;
  });
}

/**
 * Mesh (GAMMA) routes for a Service as Istio applies them to a client: a route in the client's own
 * namespace (a consumer route) wins over routes in the Service's namespace (producer routes);
 * routes elsewhere do not apply. https://gateway-api.sigs.k8s.io/mesh/#namespace-boundaries
 */
export function meshRoutesFor<R extends HTTPRouteLike | GRPCRouteLike>(
  routes: readonly R[],
  service: { namespace: string; name: string; port: number },
  clientNamespace: string,
): R[] {
  const parent: RouteParent = { kind: "Service", ...service };
  const targeting = routes.filter((route) => routeTargetsParent(route, parent));
  const consumer = targeting.filter((route) => routeNamespaceOf(route) === clientNamespace && clientNamespace !== service.namespace);
  if (consumer.length > 0) return consumer;
  return targeting.filter((route) => routeNamespaceOf(route) === service.namespace);
}

function stripPort(host: string): string {
  const lower = host.toLowerCase();
  return lower.startsWith("[") ? lower : lower.replace(/:\d+$/, "");
}

/**
 * Gateway API hostname matching: exact, or `*.example.com` matching one or more labels in front
 * of `example.com` (never `example.com` itself).
 */
export function hostnameMatches(pattern: string, host: string): boolean {
  const wanted = pattern.toLowerCase();
  const actual = stripPort(host);
  if (wanted === "*") return true;
  if (wanted.startsWith("*.")) return actual.endsWith(wanted.slice(1)) && actual.length > wanted.length - 1;
  return wanted === actual;
}

/** How specifically a hostname matched: characters of a non-wildcard match, then characters matched. */
interface HostnameScore {
  exact: number;
  length: number;
}

const ANY_HOST: HostnameScore = { exact: 0, length: 0 };

/** The best score of the route's hostnames for this host, undefined when none matches; no hostnames match any host. */
export function hostnameScore(hostnames: readonly string[] | undefined, host: string): HostnameScore | undefined {
  if (!hostnames || hostnames.length === 0) return ANY_HOST;
  let best: HostnameScore | undefined;
  for (const pattern of hostnames) {
    if (!hostnameMatches(pattern, host)) continue;
    const score = pattern.startsWith("*") ? { exact: 0, length: pattern.length } : { exact: pattern.length, length: pattern.length };
    if (!best || compareHostnameScores(score, best) < 0) best = score;
  }
  return best;
}

function compareHostnameScores(a: HostnameScore, b: HostnameScore): number {
  return b.exact - a.exact || b.length - a.length;
}

const compiledPatterns = new Map<string, RegExp | null>();

/** Envoy matches regular expressions (RE2) against the whole value; a pattern that does not compile matches nothing. */
export function regexFullMatch(pattern: string, value: string): boolean {
  let regex = compiledPatterns.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(`^(?:${pattern})$`);
    } catch {
      regex = null;
    }
    compiledPatterns.set(pattern, regex);
  }
  return regex !== null && regex.test(value);
}

/** The path match with the CRD's defaults (PathPrefix "/"), which also stands for a rule without matches. */
export function effectivePathMatch(match: IHTTPRouteMatch | undefined): { type: "Exact" | "PathPrefix" | "RegularExpression"; value: string } {
  return { type: match?.path?.type ?? "PathPrefix", value: match?.path?.value ?? "/" };
}

/** PathPrefix matches whole path segments: `/abc` matches `/abc`, `/abc/` and `/abc/def`, not `/abcd`; a trailing `/` in the prefix is ignored. */
export function pathPrefixMatches(prefix: string, path: string): boolean {
  const trimmed = prefix.length > 1 ? prefix.replace(/\/+$/, "") : prefix;
  if (trimmed === "/" || trimmed === "") return path.startsWith("/");
  return path === trimmed || path.startsWith(`${trimmed}/`);
}

function splitPath(path: string): { path: string; query: URLSearchParams } {
  const at = path.indexOf("?");
  return at < 0 ? { path, query: new URLSearchParams() } : { path: path.slice(0, at), query: new URLSearchParams(path.slice(at + 1)) };
}

function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

function valueMatches(type: string | undefined, expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  return type === "RegularExpression" ? regexFullMatch(expected, actual) : actual === expected;
}

/** One HTTPRouteMatch: every condition in it must hold (path, method, headers, query parameters). */
export function httpMatchMatches(match: IHTTPRouteMatch | undefined, request: HTTPRequestFacts): boolean {
  const { path, query } = splitPath(request.path);
  const pathMatch = effectivePathMatch(match);
  if (pathMatch.type === "Exact" && path !== pathMatch.value) return false;
  if (pathMatch.type === "PathPrefix" && !pathPrefixMatches(pathMatch.value, path)) return false;
  if (pathMatch.type === "RegularExpression" && !regexFullMatch(pathMatch.value, path)) return false;
  if (match?.method !== undefined && match.method !== request.method.toUpperCase()) return false;
  for (const header of match?.headers ?? []) {
    if (!valueMatches(header.type, header.value, headerValue(request.headers, header.name))) return false;
  }
  // Query parameter names are case-sensitive; with a repeated parameter Envoy reads the first.
  for (const param of match?.queryParams ?? []) {
    if (!valueMatches(param.type, param.value, query.get(param.name) ?? undefined)) return false;
  }
  return true;
}

const PATH_RANK = { Exact: 3, PathPrefix: 2, RegularExpression: 1 } as const;

/**
 * Orders two matches of any routes by the specification's precedence: an Exact path over the
 * longest PathPrefix over a RegularExpression (whose place the specification leaves to the
 * implementation; Istio puts it after prefixes, longer patterns first), then a method match, then
 * more header matches, then more query parameter matches. Negative when `a` comes first.
 */
export function compareHttpMatches(a: IHTTPRouteMatch | undefined, b: IHTTPRouteMatch | undefined): number {
  const pathA = effectivePathMatch(a);
  const pathB = effectivePathMatch(b);
  return (
    PATH_RANK[pathB.type] - PATH_RANK[pathA.type] ||
    pathB.value.length - pathA.value.length ||
    Number(b?.method !== undefined) - Number(a?.method !== undefined) ||
    (b?.headers?.length ?? 0) - (a?.headers?.length ?? 0) ||
    (b?.queryParams?.length ?? 0) - (a?.queryParams?.length ?? 0)
  );
}

function createdMs(meta: RouteMeta | undefined): number {
  const stamp = meta?.creationTimestamp;
  if (stamp === undefined) return Number.MAX_SAFE_INTEGER;
  const ms = new Date(stamp).getTime();
  return Number.isNaN(ms) ? Number.MAX_SAFE_INTEGER : ms;
}

/** Across routes, ties go to the oldest route, then to `namespace/name` in alphabetical order. */
export function compareRouteAge(a: { metadata?: RouteMeta }, b: { metadata?: RouteMeta }): number {
  const byAge = createdMs(a.metadata) - createdMs(b.metadata);
  if (byAge !== 0) return byAge;
  const keyA = `${routeNamespaceOf(a)}/${a.metadata?.name ?? ""}`;
  const keyB = `${routeNamespaceOf(b)}/${b.metadata?.name ?? ""}`;
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}

export interface RuleChoice<R, Rule> {
  route: R;
  rule: Rule;
  ruleIndex: number;
  /** Index in the rule's `matches`; -1 for a rule without matches (it matches every request). */
  matchIndex: number;
}

interface Candidate<R, Rule, M> extends RuleChoice<R, Rule> {
  match: M | undefined;
  host: HostnameScore;
}

/**
 * Every (route, rule, match) triple whose route hostnames accept the host, kept to the most
 * specific hostname: Envoy picks one virtual host per request and never falls back to a less
 * specific one. `ignoreHostnames` is for mesh routes, whose parent is a Service.
 */
function candidates<R extends { metadata?: RouteMeta; spec?: { hostnames?: string[]; rules?: Rule[] } }, Rule extends { matches?: M[] }, M>(
  routes: readonly R[],
  host: string,
  ignoreHostnames: boolean,
): Array<Candidate<R, Rule, M>> {
  const all: Array<Candidate<R, Rule, M>> = [];
  for (const route of routes) {
    const score = ignoreHostnames ? ANY_HOST : hostnameScore(route.spec?.hostnames, host);
    if (!score) continue;
    (route.spec?.rules ?? []).forEach((rule, ruleIndex) => {
      const matches = rule.matches ?? [];
      if (matches.length === 0) all.push({ route, rule, ruleIndex, matchIndex: -1, match: undefined, host: score });
      matches.forEach((match, matchIndex) => all.push({ route, rule, ruleIndex, matchIndex, match, host: score }));
    });
  }
  const best = all.reduce<HostnameScore | undefined>((top, c) => (!top || compareHostnameScores(c.host, top) < 0 ? c.host : top), undefined);
  return best ? all.filter((c) => compareHostnameScores(c.host, best) === 0) : [];
}

export interface RouteSelectionOptions {
  /** Mesh (GAMMA) routes ignore `hostnames`: the Service names the destination. */
  ignoreHostnames?: boolean;
}

/** The first candidate in precedence order (matches, then route age and name, then rule and match order) that the request meets. */
function firstMatching<R extends { metadata?: RouteMeta; spec?: { hostnames?: string[]; rules?: Rule[] } }, Rule extends { matches?: M[] }, M>(
  routes: readonly R[],
  host: string,
  options: RouteSelectionOptions,
  compareMatches: (a: M | undefined, b: M | undefined) => number,
  meets: (match: M | undefined) => boolean,
): RuleChoice<R, Rule> | undefined {
  const hit = candidates<R, Rule, M>(routes, host, options.ignoreHostnames ?? false)
    .sort(
      (a, b) =>
        compareMatches(a.match, b.match) ||
        (a.route === b.route ? 0 : compareRouteAge(a.route, b.route)) ||
        a.ruleIndex - b.ruleIndex ||
        a.matchIndex - b.matchIndex,
    )
    .find((candidate) => meets(candidate.match));
  return hit && { route: hit.route, rule: hit.rule, ruleIndex: hit.ruleIndex, matchIndex: hit.matchIndex };
}

/** The rule of the given routes a request takes, or undefined (Envoy answers 404, flag NR). */
export function selectHttpRule<R extends HTTPRouteLike>(
  routes: readonly R[],
  request: HTTPRequestFacts,
  options: RouteSelectionOptions = {},
): RuleChoice<R, IHTTPRouteRule> | undefined {
  return firstMatching<R, IHTTPRouteRule, IHTTPRouteMatch>(routes, request.host, options, compareHttpMatches, (match) => httpMatchMatches(match, request));
}

/** A gRPC call: `/package.Service/Method` on the wire. */
export interface GRPCRequestFacts {
  host: string;
  service: string;
  method: string;
  headers: Readonly<Record<string, string>>;
}

/** One GRPCRouteMatch: method (Exact by default, or RegularExpression; an absent field matches any) and headers. */
export function grpcMatchMatches(match: IGRPCRouteMatch | undefined, request: GRPCRequestFacts): boolean {
  const method = match?.method;
  if (method) {
    const regex = method.type === "RegularExpression";
    if (method.service !== undefined && !(regex ? regexFullMatch(method.service, request.service) : method.service === request.service)) return false;
    if (method.method !== undefined && !(regex ? regexFullMatch(method.method, request.method) : method.method === request.method)) return false;
  }
  for (const header of match?.headers ?? []) {
    if (!valueMatches(header.type, header.value, headerValue(request.headers, header.name))) return false;
  }
  return true;
}

/** GRPCRoute precedence: more characters in the matching service, then in the method, then more header matches. */
export function compareGrpcMatches(a: IGRPCRouteMatch | undefined, b: IGRPCRouteMatch | undefined): number {
  return (
    (b?.method?.service?.length ?? 0) - (a?.method?.service?.length ?? 0) ||
    (b?.method?.method?.length ?? 0) - (a?.method?.method?.length ?? 0) ||
    (b?.headers?.length ?? 0) - (a?.headers?.length ?? 0)
  );
}

export function selectGrpcRule<R extends GRPCRouteLike>(
  routes: readonly R[],
  request: GRPCRequestFacts,
  options: RouteSelectionOptions = {},
): RuleChoice<R, IGRPCRouteRule> | undefined {
  return firstMatching<R, IGRPCRouteRule, IGRPCRouteMatch>(routes, request.host, options, compareGrpcMatches, (match) => grpcMatchMatches(match, request));
}

/** Splits a gRPC path `/pkg.Service/Method` into its service and method. */
export function parseGrpcPath(path: string): { service: string; method: string } | undefined {
  const match = /^\/([^/]+)\/([^/?]+)$/.exec(path.split("?")[0] ?? "");
  return match ? { service: match[1] ?? "", method: match[2] ?? "" } : undefined;
}
