/**
 * The traffic wizards' changes to a service's mesh HTTPRoute (Gateway API "GAMMA": a route whose
 * parentRef is the Service itself, https://gateway-api.sigs.k8s.io/mesh/). Pure: each function takes
 * the route as read and answers a new one, keeping every rule, filter and field it does not manage.
 *
 * Versions are routed the way Istio's Gateway API samples route a canary: one Service per version,
 * `<service>-<version>`, selecting `app=<app>,version=<version>` next to the parent Service that
 * selects every version; the route's backendRefs name those version Services with weights.
 *
 * The "default rule" is the last rule that matches every request (no matches, or only the path
 * prefix "/"): the specification picks the most specific match first, so such a rule takes what no
 * other rule took (https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule).
 */
import type { IHTTPBackendRef, IHTTPRoute, IHTTPRouteFilter, IHTTPRouteMatch, IHTTPRouteRule, IParentReference } from "@/lib/gatewayApi/types";
import type { MirroringInput, RequestRoutingInput, RouteMatch, TimeoutsInput } from "./schemas";
import { apportion, TOTAL_WEIGHT } from "./weights";

export const HTTP_ROUTE_API_VERSION = "gateway.networking.k8s.io/v1";
/** Rules the console added are named with this prefix (rule names are standard since Gateway API v1.2); "remove" deletes only those. */
export const CONSOLE_RULE_PREFIX = "mesh-console-";
const DEFAULT_RULE_NAME = `${CONSOLE_RULE_PREFIX}default`;
const MATCH_RULE_PREFIX = `${CONSOLE_RULE_PREFIX}match-`;

export interface ServiceTarget {
  readonly namespace: string;
  readonly service: string;
  /** The Service port the route attaches to and its backends are reached at. */
  readonly port: number;
}

type Route = IHTTPRoute & { metadata: NonNullable<IHTTPRoute["metadata"]> & { name: string } };

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The Service of one version, by Istio's Gateway API canary convention. */
export function versionServiceName(service: string, version: string): string {
  return `${service}-${version}`;
}

/** The version a backend Service stands for, or undefined when it is not one of `service`'s version Services. */
export function versionOfBackend(service: string, backendName: string): string | undefined {
  const prefix = `${service}-`;
  return backendName.startsWith(prefix) && backendName.length > prefix.length ? backendName.slice(prefix.length) : undefined;
}

/** A parentRef naming the Service itself: group "" (core) and kind Service, in the route's own namespace. */
export function isServiceParent(parent: IParentReference, ref: { namespace: string; service: string }, routeNamespace: string): boolean {
  return parent.group === "" && parent.kind === "Service" && parent.name === ref.service && (parent.namespace ?? routeNamespace) === ref.namespace;
}

function isServiceBackend(backend: IHTTPBackendRef | { group?: string; kind?: string; namespace?: string }, routeNamespace: string, namespace: string): boolean {
  return (backend.group ?? "") === "" && (backend.kind ?? "Service") === "Service" && (backend.namespace ?? routeNamespace) === namespace;
}

/**
 * The mesh HTTPRoute that routes the service: a route in the service's namespace with the Service
 * as a parent. When several do, the one named after the service, else the oldest (then by name),
 * as the specification orders conflicting routes.
 */
export function findServiceHttpRoute<R extends IHTTPRoute>(routes: readonly R[], ref: { namespace: string; service: string }): R | undefined {
  const matching = routes
    .filter((route) => (route.metadata?.namespace ?? ref.namespace) === ref.namespace && (route.spec.parentRefs ?? []).some((parent) => isServiceParent(parent, ref, ref.namespace)))
    .sort((a, b) => String(a.metadata?.creationTimestamp ?? "").localeCompare(String(b.metadata?.creationTimestamp ?? "")) || String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
  return matching.find((route) => route.metadata?.name === ref.service) ?? matching[0];
}

/** The Service port the route's parentRef attaches to, when it names one. */
export function parentPort(route: IHTTPRoute | undefined, ref: { namespace: string; service: string }): number | undefined {
  return route?.spec.parentRefs?.find((parent) => isServiceParent(parent, ref, route.metadata?.namespace ?? ref.namespace))?.port;
}

function matchesEverything(match: IHTTPRouteMatch): boolean {
  const keys = Object.keys(match);
  if (keys.length === 0) return true;
  return keys.length === 1 && match.path !== undefined && (match.path.type ?? "PathPrefix") === "PathPrefix" && (match.path.value ?? "/") === "/";
}

function isCatchAll(rule: IHTTPRouteRule): boolean {
  return !rule.matches || rule.matches.length === 0 || rule.matches.some(matchesEverything);
}

export function defaultRuleIndex(route: IHTTPRoute): number {
  const rules = route.spec.rules ?? [];
  for (let index = rules.length - 1; index >= 0; index--) if (isCatchAll(rules[index]!)) return index;
  return -1;
}

/**
 * The configured split of the default rule, version → percent, when every backend of it is a
 * version Service of the service; null otherwise (no route, no default rule, or a backend the
 * wizard does not manage, such as the parent Service itself). Weights default to 1 and are
 * relative (https://gateway-api.sigs.k8s.io/reference/spec/#backendref); they are shown as percents
 * that add up to 100.
 */
export function httpRouteWeights(route: IHTTPRoute | undefined, ref: { namespace: string; service: string }): Record<string, number> | null {
  if (!route) return null;
  const index = defaultRuleIndex(route);
  const backends = index < 0 ? [] : (route.spec.rules![index]!.backendRefs ?? []);
  if (backends.length === 0) return null;
  const routeNamespace = route.metadata?.namespace ?? ref.namespace;
  const versions: string[] = [];
  for (const backend of backends) {
    const version = isServiceBackend(backend, routeNamespace, ref.namespace) ? versionOfBackend(ref.service, backend.name) : undefined;
    if (!version) return null;
    versions.push(version);
  }
  const percents = apportion(TOTAL_WEIGHT, backends.map((backend) => backend.weight ?? 1));
  const result: Record<string, number> = {};
  versions.forEach((version, at) => (result[version] = (result[version] ?? 0) + percents[at]!));
  return result;
}

/** The version Services the route's rules and mirrors send to, for the order of writes and for "remove". */
export function referencedVersionServices(route: IHTTPRoute | undefined, ref: { namespace: string; service: string }): string[] {
  if (!route) return [];
  const routeNamespace = route.metadata?.namespace ?? ref.namespace;
  const names = new Set<string>();
  for (const rule of route.spec.rules ?? []) {
    const filters = [...(rule.filters ?? []), ...(rule.backendRefs ?? []).flatMap((backend) => backend.filters ?? [])];
    for (const backend of [...(rule.backendRefs ?? []), ...filters.flatMap((filter) => (filter.requestMirror ? [filter.requestMirror.backendRef] : []))]) {
      if (isServiceBackend(backend, routeNamespace, ref.namespace) && versionOfBackend(ref.service, backend.name)) names.add(backend.name);
    }
  }
  return [...names].sort();
}

/** A new mesh route for the service, marked as the console's. */
export function newHttpRoute(target: ServiceTarget, labels: Record<string, string>): Route {
  return {
    apiVersion: HTTP_ROUTE_API_VERSION,
    kind: "HTTPRoute",
    metadata: { name: target.service, namespace: target.namespace, labels: { ...labels } },
    spec: { parentRefs: [{ group: "", kind: "Service", name: target.service, port: target.port }], rules: [] },
  };
}

function backendTo(target: ServiceTarget, version: string, weight?: number): IHTTPBackendRef {
  return { name: versionServiceName(target.service, version), port: target.port, ...(weight === undefined ? {} : { weight }) };
}

/** The route's default rule, added at the end (named as the console's) when there is none. */
function withDefaultRule(route: IHTTPRoute, target: ServiceTarget, defaultVersion: string): { route: IHTTPRoute; rule: IHTTPRouteRule } {
  const next = clone(route);
  next.spec.rules ??= [];
  const index = defaultRuleIndex(next);
  if (index >= 0) return { route: next, rule: next.spec.rules[index]! };
  const rule: IHTTPRouteRule = { name: DEFAULT_RULE_NAME, backendRefs: [backendTo(target, defaultVersion)] };
  next.spec.rules.push(rule);
  return { route: next, rule };
}

/**
 * Sets the default rule's backendRefs to the version Services with the chosen weights, in the
 * order given. A backend already there keeps its other fields (its port, its filters); every other
 * rule and field of the route stays as it was.
 */
export function shiftHttpRouteWeights(route: IHTTPRoute, target: ServiceTarget, weights: Readonly<Record<string, number>>): IHTTPRoute {
  const versions = Object.keys(weights);
  const { route: next, rule } = withDefaultRule(route, target, versions[0] ?? "");
  const routeNamespace = next.metadata?.namespace ?? target.namespace;
  const existing = new Map((rule.backendRefs ?? []).filter((backend) => isServiceBackend(backend, routeNamespace, target.namespace)).map((backend) => [backend.name, backend]));
  rule.backendRefs = versions.map((version) => {
    const name = versionServiceName(target.service, version);
    const kept = existing.get(name);
    return kept ? { ...kept, weight: weights[version]! } : backendTo(target, version, weights[version]!);
  });
  return next;
}

/** Header prefix matches have no Gateway API type; they become the equivalent RE2 expression. */
function escapeRegex(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/** One wizard match as an HTTPRouteMatch (header: Exact or RegularExpression; path: Exact, PathPrefix or RegularExpression). */
export function httpRouteMatch(match: RouteMatch): IHTTPRouteMatch {
  if (match.on === "header") {
    const type = match.type === "exact" ? "Exact" : "RegularExpression";
    const value = match.type === "prefix" ? `${escapeRegex(match.value)}.*` : match.value;
    return { headers: [{ name: match.header, type, value }] };
  }
  const type = match.type === "exact" ? "Exact" : match.type === "prefix" ? "PathPrefix" : "RegularExpression";
  return { path: { type, value: match.value } };
}

function isConsoleRule(rule: IHTTPRouteRule): boolean {
  return rule.name?.startsWith(CONSOLE_RULE_PREFIX) ?? false;
}

/**
 * Replaces the console's match rules with the given ones (named `mesh-console-match-N`) and points
 * the default rule at `defaultSubset`. The specification orders rules by how specific their match
 * is, not by position, so the order of the wizard's rules only breaks ties.
 */
export function routeRequestsOnHttpRoute(route: IHTTPRoute, target: ServiceTarget, input: Pick<RequestRoutingInput, "rules" | "defaultSubset">): IHTTPRoute {
  const { route: next } = withDefaultRule(route, target, input.defaultSubset);
  const rules = next.spec.rules!.filter((rule) => !rule.name?.startsWith(MATCH_RULE_PREFIX));
  const defaultIndex = defaultRuleIndex({ ...next, spec: { ...next.spec, rules } });
  const defaultRule = rules[defaultIndex]!;
  const kept = (defaultRule.backendRefs ?? []).find((backend) => backend.name === versionServiceName(target.service, input.defaultSubset));
  const { weight: _weight, ...unweighted } = kept ?? backendTo(target, input.defaultSubset);
  defaultRule.backendRefs = [unweighted];
  const added: IHTTPRouteRule[] = input.rules.map((rule, at) => ({ name: `${MATCH_RULE_PREFIX}${at + 1}`, matches: [httpRouteMatch(rule.match)], backendRefs: [backendTo(target, rule.subset)] }));
  rules.splice(defaultIndex, 0, ...added);
  next.spec.rules = rules;
  return next;
}

/** HTTPRoute rules carry a request timeout (`timeouts.request`); retries are not in the standard channel. */
export function setHttpRouteTimeout(route: IHTTPRoute, target: ServiceTarget, input: Pick<TimeoutsInput, "timeout">, defaultVersion: string): IHTTPRoute {
  const { route: next, rule } = withDefaultRule(route, target, defaultVersion);
  const timeouts = { ...(rule.timeouts ?? {}) };
  if (input.timeout) timeouts.request = gatewayDuration(input.timeout);
  else delete timeouts.request;
  if (Object.keys(timeouts).length > 0) rule.timeouts = timeouts;
  else delete rule.timeouts;
  return next;
}

/**
 * Gateway API durations (GEP-2257) have no fractions: "1.5s" becomes "1500ms". Returns the
 * duration unchanged when it already fits.
 */
export function gatewayDuration(duration: string): string {
  const found = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(duration);
  if (!found || !found[1]!.includes(".")) return duration;
  const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[found[2] as "ms" | "s" | "m" | "h"];
  return `${Math.round(Number(found[1]) * unitMs)}ms`;
}

/**
 * Mirrors `percentage` percent of the default rule's requests to a version Service with a
 * RequestMirror filter (replacing a mirror to any of the service's version Services); 0 removes it.
 */
export function mirrorOnHttpRoute(route: IHTTPRoute, target: ServiceTarget, input: Pick<MirroringInput, "subset" | "percentage">, defaultVersion: string): IHTTPRoute {
  const { route: next, rule } = withDefaultRule(route, target, defaultVersion);
  const routeNamespace = next.metadata?.namespace ?? target.namespace;
  const ours = (filter: IHTTPRouteFilter) => filter.type === "RequestMirror" && !!filter.requestMirror && isServiceBackend(filter.requestMirror.backendRef, routeNamespace, target.namespace) && versionOfBackend(target.service, filter.requestMirror.backendRef.name) !== undefined;
  const filters = (rule.filters ?? []).filter((filter) => !ours(filter));
  if (input.percentage > 0) filters.push({ type: "RequestMirror", requestMirror: { backendRef: { name: versionServiceName(target.service, input.subset), port: target.port }, percent: Math.round(input.percentage) } });
  if (filters.length > 0) rule.filters = filters;
  else delete rule.filters;
  return next;
}

/** The console's rules taken out; null when nothing else is left (the route was all the console's). */
export function withoutConsoleRules(route: IHTTPRoute): IHTTPRoute | null {
  const next = clone(route);
  next.spec.rules = (next.spec.rules ?? []).filter((rule) => !isConsoleRule(rule));
  return next.spec.rules.length > 0 ? next : null;
}

/** A Service for one version: the parent's ports, selecting the app's pods of that version only. */
export function versionService(parent: { namespace: string; service: string; app: string; ports: readonly VersionServicePort[] }, version: string, labels: Record<string, string>) {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: versionServiceName(parent.service, version), namespace: parent.namespace, labels: { ...labels, app: parent.app, version } },
    spec: { selector: { app: parent.app, version }, ports: parent.ports.map((port) => ({ ...port })) },
  };
}

export interface VersionServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol?: string;
  readonly appProtocol?: string;
}
