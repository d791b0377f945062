/**
 * Routing resolution with Istio semantics: which VirtualService route a request takes, how its
 * weights split over DestinationRule subsets, and which workloads back each subset. This is the
 * simulated Envoy's reading of the objects (its own schemas in mesh-schemas.ts), but host names
 * resolve and match exactly as the console reads them (lib/istio/host.ts). Pure: the
 * traffic engine asks once per (source, host, request class) and caches until config changes.
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
import { fullMatch } from "./re2";
import { hostCovers, toFqdn } from "@/lib/istio/host";
import { isMeshBound, MESH_GATEWAY } from "@/lib/istio/virtualService";
import { labelsMatch, type MeshSnapshot, type Workload } from "./mesh";
import {
  parseDurationMs,
  type DestinationRuleObject,
  type HttpMatch,
  type HttpRoute,
  type RouteDestination,
  type StringMatch,
  type TrafficPolicy,
  type VirtualServiceObject,
} from "./mesh-schemas";

/** What the simulated application puts on the wire; header names are lower case. */
export interface RequestAttributes {
  uri: string;
  method: string;
  headers: Readonly<Record<string, string>>;
}

export interface Endpoint {
  workload: Workload;
}

export type Branch =
  | {
      kind: "upstream";
      /** Share of the route's traffic (0..1). */
      share: number;
      host: string;
      subset?: string;
      /** Envoy cluster name, the unit outlier detection works on. */
      cluster: string;
      endpoints: Workload[];
      trafficPolicy: TrafficPolicy;
    }
  | {
      kind: "local-reply";
      share: number;
      host: string;
      subset?: string;
      responseCode: number;
      /**
       * Envoy response flag: NR (no route / no cluster for a subset), UH (no endpoints), FI (an abort
       * fault, which is how Istio answers a Gateway API route's share of invalid backends), UF (the
       * connection failed), `-` (a direct response or redirect, which sets no flag).
       */
      responseFlag: "NR" | "UH" | "FI" | "UF" | "-";
      reason: string;
    };

export interface RetryPolicy {
  /** Retries after the first attempt. */
  attempts: number;
  perTryTimeoutMs?: number;
  retryOn: ReadonlySet<string>;
}

export interface FaultPolicy {
  abortShare: number;
  abortStatus: number;
  delayShare: number;
  delayMs: number;
}

export interface Mirror {
  share: number;
  host: string;
  endpoints: Workload[];
}

export interface RouteDecision {
  /** The host the application asked for. */
  host: string;
  virtualService?: string;
  branches: Branch[];
  fault?: FaultPolicy;
  timeoutMs?: number;
  retry: RetryPolicy;
  mirror?: Mirror;
  /** The ambient waypoint that routed the request (it applied the route, faults and retries). */
  waypoint?: Workload;
}

/**
 * Istio's default retry policy when a route sets none: 2 retries on connection-level failures
 * and 503. https://istio.io/latest/docs/concepts/traffic-management/#retries
 */
export const DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
export const DEFAULT_RETRY: RetryPolicy = { attempts: 2, retryOn: new Set(DEFAULT_RETRY_ON.split(",")) };

function createdAt(vs: VirtualServiceObject | DestinationRuleObject): number {
  const stamp = vs.metadata.creationTimestamp;
  if (stamp === undefined) return 0;
  const time = new Date(stamp).getTime();
  return Number.isNaN(time) ? 0 : time;
}

interface VirtualServiceEntry {
  vs: VirtualServiceObject;
  hosts: string[];
  boundToMesh: boolean;
  boundToGateway: boolean;
  created: number;
}

interface DestinationRuleEntry {
  dr: DestinationRuleObject;
  host: string;
  created: number;
}

/** Hosts qualified once per snapshot, so a lookup does not rescan every object. */
interface RoutingIndex {
  virtualServicesByHost: Map<string, VirtualServiceEntry[]>;
  wildcardVirtualServices: VirtualServiceEntry[];
  destinationRulesByNamespace: Map<string, DestinationRuleEntry[]>;
}

const indexes = new WeakMap<MeshSnapshot, RoutingIndex>();

function routingIndex(snapshot: MeshSnapshot): RoutingIndex {
  let index = indexes.get(snapshot);
  if (index) return index;
  index = { virtualServicesByHost: new Map(), wildcardVirtualServices: [], destinationRulesByNamespace: new Map() };
  for (const vs of snapshot.virtualServices) {
    const namespace = vs.metadata.namespace ?? "default";
    const gateways = vs.spec.gateways ?? [];
    const entry: VirtualServiceEntry = {
      vs,
      hosts: vs.spec.hosts.map((h) => toFqdn(h, namespace)),
      boundToMesh: isMeshBound(gateways),
      boundToGateway: gateways.some((gateway) => gateway !== MESH_GATEWAY),
      created: createdAt(vs),
    };
    for (const host of new Set(entry.hosts)) {
      if (host.startsWith("*")) {
        if (!index.wildcardVirtualServices.includes(entry)) index.wildcardVirtualServices.push(entry);
        continue;
      }
      const list = index.virtualServicesByHost.get(host) ?? [];
      list.push(entry);
      index.virtualServicesByHost.set(host, list);
    }
  }
  for (const dr of snapshot.destinationRules) {
    const namespace = dr.metadata.namespace ?? "default";
    const list = index.destinationRulesByNamespace.get(namespace) ?? [];
    list.push({ dr, host: toFqdn(dr.spec.host, namespace), created: createdAt(dr) });
    index.destinationRulesByNamespace.set(namespace, list);
  }
  for (const list of index.destinationRulesByNamespace.values()) list.sort((a, b) => a.created - b.created);
  indexes.set(snapshot, index);
  return index;
}

/**
 * The VirtualService that applies to `host` for this source. Sidecars use VirtualServices bound
 * to the reserved gateway `mesh` (the default when `gateways` is empty); a gateway workload uses
 * those naming a Gateway. When several match, an exact host wins over a wildcard, then the
 * oldest object, as istiod resolves conflicts.
 */
export function findVirtualService(
  snapshot: MeshSnapshot,
  source: Workload,
  host: string,
): VirtualServiceObject | undefined {
  const index = routingIndex(snapshot);
  // A waypoint is deployed as a Gateway but serves mesh traffic: mesh-bound VirtualServices apply to it.
  const applies = (entry: VirtualServiceEntry) => (source.isGateway && !source.isWaypoint ? entry.boundToGateway : entry.boundToMesh);
  const oldest = (entries: VirtualServiceEntry[]) =>
    entries.reduce<VirtualServiceEntry | undefined>((best, e) => (!best || e.created < best.created ? e : best), undefined);
  const exact = oldest((index.virtualServicesByHost.get(host) ?? []).filter(applies));
  if (exact) return exact.vs;
  return oldest(index.wildcardVirtualServices.filter((e) => applies(e) && e.hosts.some((pattern) => hostCovers(pattern, host))))?.vs;
}

/**
 * The DestinationRule for a host as seen from a client namespace: the client's namespace first,
 * then the service's namespace, then the root namespace.
 * https://istio.io/latest/docs/ops/best-practices/traffic-management/#cross-namespace-configuration
 */
export function findDestinationRule(
  snapshot: MeshSnapshot,
  host: string,
  clientNamespace: string,
): DestinationRuleObject | undefined {
  const index = routingIndex(snapshot);
  const serviceNamespace = snapshot.services.get(host)?.namespace;
  for (const namespace of [clientNamespace, serviceNamespace, snapshot.rootNamespace]) {
    if (namespace === undefined) continue;
    const candidates = index.destinationRulesByNamespace.get(namespace) ?? [];
    const exact = candidates.find((entry) => entry.host === host);
    const match = exact ?? candidates.find((entry) => hostCovers(entry.host, host));
    if (match) return match.dr;
  }
  return undefined;
}

function stringMatches(match: StringMatch, value: string | undefined): boolean {
  if (match.exact !== undefined) return value === match.exact;
  if (match.prefix !== undefined) return value !== undefined && value.startsWith(match.prefix);
  if (match.regex !== undefined) return value !== undefined && fullMatch(match.regex, value);
  // An empty StringMatch on a header tests presence.
  return value !== undefined;
}

/** One HTTPMatchRequest: all its conditions must hold. */
export function requestMatches(match: HttpMatch, request: RequestAttributes, source: Workload): boolean {
  if (match.uri && !stringMatches(match.uri, request.uri)) return false;
  if (match.method && !stringMatches(match.method, request.method)) return false;
  for (const [name, condition] of Object.entries(match.headers ?? {})) {
    if (!stringMatches(condition, request.headers[name.toLowerCase()])) return false;
  }
  for (const [name, condition] of Object.entries(match.withoutHeaders ?? {})) {
    if (stringMatches(condition, request.headers[name.toLowerCase()])) return false;
  }
  if (match.sourceLabels && !labelsMatch(match.sourceLabels, source.labels)) return false;
  if (match.sourceNamespace !== undefined && match.sourceNamespace !== source.namespace) return false;
  if (match.gateways) {
    const viaMesh = match.gateways.includes("mesh");
    if (source.isGateway && !source.isWaypoint ? match.gateways.every((g) => g === "mesh") : !viaMesh) return false;
  }
  return true;
}

/** Routes are evaluated in order; the first whose match list has a hit (or that has none) wins. */
export function selectHttpRoute(
  routes: readonly HttpRoute[],
  request: RequestAttributes,
  source: Workload,
): HttpRoute | undefined {
  return routes.find(
    (route) => !route.match || route.match.length === 0 || route.match.some((m) => requestMatches(m, request, source)),
  );
}

function mergePolicy(base: TrafficPolicy | undefined, override: TrafficPolicy | undefined): TrafficPolicy {
  return { ...(base ?? {}), ...(override ?? {}) };
}

function resolveDestination(
  snapshot: MeshSnapshot,
  source: Workload,
  destination: RouteDestination,
  vsNamespace: string,
  share: number,
): Branch {
  const host = toFqdn(destination.host, vsNamespace);
  const subset = destination.subset;
  const service = snapshot.services.get(host);
  if (!service) {
    return { kind: "local-reply", share, host, subset, responseCode: 503, responseFlag: "NR", reason: `no service for host ${host}` };
  }
  const rule = findDestinationRule(snapshot, host, source.namespace);
  if (subset === undefined) {
    return upstream(share, host, undefined, service.endpoints, rule?.spec.trafficPolicy ?? {});
  }
  const subsetSpec = rule?.spec.subsets?.find((s) => s.name === subset);
  if (!rule || !subsetSpec) {
    // istiod builds no cluster for an undefined subset, so Envoy has no route target.
    const reason = rule
      ? `DestinationRule ${rule.metadata.namespace}/${rule.metadata.name} defines no subset "${subset}"`
      : `no DestinationRule defines subsets for ${host}`;
    return { kind: "local-reply", share, host, subset, responseCode: 503, responseFlag: "NR", reason };
  }
  const endpoints = service.endpoints.filter((w) => labelsMatch(subsetSpec.labels, w.labels));
  return upstream(share, host, subset, endpoints, mergePolicy(rule.spec.trafficPolicy, subsetSpec.trafficPolicy));
}

export function upstream(share: number, host: string, subset: string | undefined, endpoints: Workload[], trafficPolicy: TrafficPolicy): Branch {
  const cluster = `outbound|${host}|${subset ?? ""}`;
  if (endpoints.every((w) => w.replicas === 0)) {
    return { kind: "local-reply", share, host, subset, responseCode: 503, responseFlag: "UH", reason: `no endpoints in ${cluster}` };
  }
  return { kind: "upstream", share, host, subset, cluster, endpoints, trafficPolicy };
}

function weightedBranches(
  snapshot: MeshSnapshot,
  source: Workload,
  destinations: ReadonlyArray<{ destination: RouteDestination; weight?: number }>,
  vsNamespace: string,
): Branch[] {
  // A single destination takes all traffic whatever its weight says.
  if (destinations.length === 1) {
    const only = destinations[0];
    return only ? [resolveDestination(snapshot, source, only.destination, vsNamespace, 1)] : [];
  }
  const total = destinations.reduce((sum, d) => sum + (d.weight ?? 0), 0);
  return destinations
    .filter((d) => total === 0 || (d.weight ?? 0) > 0)
    .map((d) =>
      resolveDestination(snapshot, source, d.destination, vsNamespace, total === 0 ? 1 / destinations.length : (d.weight ?? 0) / total),
    );
}

function percentShare(percentage: { value: number } | undefined, legacyPercent: number | undefined): number {
  if (percentage) return percentage.value / 100;
  if (legacyPercent !== undefined) return legacyPercent / 100;
  return 1;
}

function faultOf(route: HttpRoute, where: string): FaultPolicy | undefined {
  const fault = route.fault;
  if (!fault) return undefined;
  return {
    abortShare: fault.abort ? percentShare(fault.abort.percentage, undefined) : 0,
    abortStatus: fault.abort?.httpStatus ?? 503,
    delayShare: fault.delay ? percentShare(fault.delay.percentage, fault.delay.percent) : 0,
    delayMs: fault.delay?.fixedDelay ? parseDurationMs(fault.delay.fixedDelay, `${where}.fault.delay.fixedDelay`) : 0,
  };
}

function retryOf(route: HttpRoute, where: string): RetryPolicy {
  const retries = route.retries;
  if (!retries) return DEFAULT_RETRY;
  return {
    attempts: retries.attempts ?? 2,
    perTryTimeoutMs: retries.perTryTimeout ? parseDurationMs(retries.perTryTimeout, `${where}.retries.perTryTimeout`) : undefined,
    retryOn: new Set((retries.retryOn ?? DEFAULT_RETRY_ON).split(",").map((s) => s.trim())),
  };
}

/** Traffic to a host without a VirtualService: the Service's endpoints, all versions. */
function defaultDecision(snapshot: MeshSnapshot, source: Workload, host: string): RouteDecision | undefined {
  const service = snapshot.services.get(host);
  if (!service) return undefined;
  const rule = findDestinationRule(snapshot, host, source.namespace);
  return {
    host,
    branches: [upstream(1, host, undefined, service.endpoints, rule?.spec.trafficPolicy ?? {})],
    retry: DEFAULT_RETRY,
  };
}

/**
 * Resolves an HTTP/gRPC request from `source` to `host`. Returns undefined when the host is
 * not a mesh service and no VirtualService claims it (the call leaves the simulated mesh).
 */
export function resolveHttpRoute(
  snapshot: MeshSnapshot,
  source: Workload,
  host: string,
  request: RequestAttributes,
): RouteDecision | undefined {
  // A client without a proxy is not subject to Istio routing: kube-proxy picks an endpoint.
  const vs = source.hasProxy ? findVirtualService(snapshot, source, host) : undefined;
  if (!vs) return defaultDecision(snapshot, source, host);
  const vsNamespace = vs.metadata.namespace ?? "default";
  const vsName = `${vsNamespace}/${vs.metadata.name}`;
  const routes = vs.spec.http ?? [];
  const route = selectHttpRoute(routes, request, source);
  if (!route || !route.route || route.route.length === 0) {
    // Envoy answers a request that matches no route with 404 and flag NR.
    return {
      host,
      virtualService: vsName,
      branches: [{ kind: "local-reply", share: 1, host, responseCode: 404, responseFlag: "NR", reason: `no route in ${vsName} matches` }],
      retry: DEFAULT_RETRY,
    };
  }
  const where = `VirtualService ${vsName} http[${routes.indexOf(route)}]`;
  const timeoutMs = route.timeout ? parseDurationMs(route.timeout, `${where}.timeout`) : undefined;
  let mirror: Mirror | undefined;
  if (route.mirror) {
    const target = resolveDestination(snapshot, source, route.mirror, vsNamespace, 1);
    if (target.kind === "upstream") {
      mirror = { share: route.mirrorPercentage ? route.mirrorPercentage.value / 100 : 1, host: target.host, endpoints: target.endpoints };
    }
  }
  return {
    host,
    virtualService: vsName,
    branches: weightedBranches(snapshot, source, route.route, vsNamespace),
    fault: faultOf(route, where),
    // "0s" disables the route timeout, as in Envoy.
    timeoutMs: timeoutMs === 0 ? undefined : timeoutMs,
    retry: retryOf(route, where),
    mirror,
  };
}

/** TCP traffic: the first `tcp` route's weighted destinations, or the Service's endpoints. */
export function resolveTcpRoute(snapshot: MeshSnapshot, source: Workload, host: string): RouteDecision | undefined {
  const vs = source.hasProxy ? findVirtualService(snapshot, source, host) : undefined;
  const tcpRoute = vs?.spec.tcp?.find((r) => r.route && r.route.length > 0);
  if (!vs || !tcpRoute?.route) return defaultDecision(snapshot, source, host);
  const vsNamespace = vs.metadata.namespace ?? "default";
  return {
    host,
    virtualService: `${vsNamespace}/${vs.metadata.name}`,
    branches: weightedBranches(snapshot, source, tcpRoute.route, vsNamespace),
    retry: { attempts: 0, retryOn: new Set() },
  };
}

/** Envoy retry_on: `5xx` covers all 5xx, `gateway-error` 502–504, `retriable-status-codes` 503 in Istio's default. */
export function isRetriableStatus(retry: RetryPolicy, code: number): boolean {
  if (retry.attempts === 0) return false;
  if (code >= 500 && retry.retryOn.has("5xx")) return true;
  if ((code === 502 || code === 503 || code === 504) && retry.retryOn.has("gateway-error")) return true;
  if (code === 503 && retry.retryOn.has("retriable-status-codes")) return true;
  return retry.retryOn.has(String(code));
}

