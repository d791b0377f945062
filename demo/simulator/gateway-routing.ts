/**
 * The simulated Envoy's reading of Gateway API routes, turned into the same RouteDecision the
 * VirtualService path produces: ingress traffic at a gateway istiod deployed for a Gateway (its
 * pods carry `gateway.networking.k8s.io/gateway-name`) follows the routes attached to that Gateway's
 * listeners; mesh traffic to a Service with a GAMMA route follows that route, which wins over any
 * VirtualService for the Service, as in Istio. Matching and rule semantics are lib/gatewayApi's;
 * attachment and backend resolution are references.ts's, the same the status is written from.
 * https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 */
import { resolveBackendRefs, resolveParentRefs, type BackendRefResolution, type GatewayApiRoute } from "@/lib/gatewayApi/references";
import { applyGrpcRule, applyHttpRule, type BackendKey, type BackendResolution, type BackendShare, type RuleOutcome } from "@/lib/gatewayApi/routeActions";
import {
  hostnameMatches,
  meshRoutesFor,
  parseGrpcPath,
  routeNamespaceOf,
  selectGrpcRule,
  selectHttpRule,
  type RuleChoice,
} from "@/lib/gatewayApi/routeMatching";
import type { IHTTPRouteRule } from "@/lib/gatewayApi/types";
import type { GatewayObject, GRPCRouteObject, HTTPRouteObject } from "./gateway-api-schemas";
import { GATEWAY_NAME_LABEL, type MeshService, type MeshSnapshot, type Workload } from "./mesh";
import { DEFAULT_RETRY, DEFAULT_RETRY_ON, findDestinationRule, upstream, type Branch, type Mirror, type RequestAttributes, type RetryPolicy, type RouteDecision } from "./routing";

type AnyRoute = HTTPRouteObject | GRPCRouteObject;

function asResolvable(route: AnyRoute, kind: "HTTPRoute" | "GRPCRoute"): GatewayApiRoute {
  return { ...route, kind } as GatewayApiRoute;
}

function describe(kind: string, route: AnyRoute): string {
  return `${kind} ${routeNamespaceOf(route)}/${route.metadata?.name ?? ""}`;
}

/** The Gateway a gateway workload was deployed for, when istiod deployed it. */
export function gatewayOfWorkload(snapshot: MeshSnapshot, source: Workload): GatewayObject | undefined {
  const name = source.labels[GATEWAY_NAME_LABEL];
  if (name === undefined) return undefined;
  return snapshot.gatewayApi.gateways.find((gateway) => gateway.metadata?.name === name && gateway.metadata.namespace === source.namespace);
}

interface ResolvedTarget {
  service: MeshService;
  /** The Service exists but does not expose the port: Envoy's connection is refused. */
  portNotExposed: boolean;
}

function backendResolver(snapshot: MeshSnapshot, resolutions: readonly BackendRefResolution[], ruleIndex: number) {
  return (backend: BackendKey, index: number): BackendResolution<ResolvedTarget> => {
    const resolution = resolutions.find((r) => r.ruleIndex === ruleIndex && r.backendIndex === index);
    if (!resolution || !resolution.resolved) return { ok: false, reason: resolution?.message ?? `backend ${backend.namespace}/${backend.name} did not resolve` };
    const service = snapshot.services.get(resolution.host);
    if (!service) return { ok: false, reason: `backend(${resolution.host}) not found` };
    return { ok: true, target: { service, portNotExposed: resolution.portNotExposed } };
  };
}

function mirrorResolver(snapshot: MeshSnapshot, route: AnyRoute, kind: "HTTPRoute" | "GRPCRoute") {
  return (backend: BackendKey): MeshService | undefined => {
    // A mirror's backendRef is checked like any other reference (ReferenceGrant included).
    const probe = asResolvable({ ...route, spec: { ...route.spec, rules: [{ backendRefs: [{ ...backend, port: backend.port }] }] } } as AnyRoute, kind);
    const [resolution] = resolveBackendRefs(probe, snapshot.gatewayApi.world);
    return resolution?.resolved ? snapshot.services.get(resolution.host) : undefined;
  };
}

function branchesOf(snapshot: MeshSnapshot, source: Workload, shares: Array<BackendShare<ResolvedTarget>>): Branch[] {
  // Istio answers a rule with no usable backend directly; a share of invalid backends becomes an abort fault.
  const allFailed = shares.every((share) => share.kind === "error");
  return shares.map((share): Branch => {
    if (share.kind === "error") {
      const host = share.backend ? `${share.backend.name}.${share.backend.namespace}.svc.cluster.local` : "unknown";
      return { kind: "local-reply", share: share.share, host, responseCode: share.status, responseFlag: allFailed ? "-" : "FI", reason: share.reason };
    }
    const { service, portNotExposed } = share.target;
    if (portNotExposed) {
      return { kind: "local-reply", share: share.share, host: service.host, responseCode: 503, responseFlag: "UF", reason: `${service.host} exposes no port ${share.backend.port}` };
    }
    const rule = findDestinationRule(snapshot, service.host, source.namespace);
    return upstream(share.share, service.host, undefined, service.endpoints, rule?.spec.trafficPolicy ?? {});
  });
}

function retryOf(rule: IHTTPRouteRule | undefined, perTryTimeoutMs: number | undefined): RetryPolicy {
  const retry = rule?.retry;
  const base: RetryPolicy = retry
    ? { attempts: retry.attempts ?? DEFAULT_RETRY.attempts, retryOn: new Set([...DEFAULT_RETRY_ON.split(","), ...(retry.codes ?? []).map(String)]) }
    : DEFAULT_RETRY;
  return perTryTimeoutMs === undefined ? base : { ...base, perTryTimeoutMs };
}

function decisionOf(
  snapshot: MeshSnapshot,
  source: Workload,
  host: string,
  route: AnyRoute,
  kind: "HTTPRoute" | "GRPCRoute",
  outcome: RuleOutcome<ResolvedTarget>,
  httpRule: IHTTPRouteRule | undefined,
): RouteDecision {
  const name = describe(kind, route);
  if (outcome.kind === "redirect") {
    return {
      host,
      virtualService: name,
      branches: [{ kind: "local-reply", share: 1, host, responseCode: outcome.redirect.statusCode, responseFlag: "-", reason: `redirect to ${outcome.redirect.location}` }],
      retry: DEFAULT_RETRY,
    };
  }
  let mirror: Mirror | undefined;
  const firstMirror = outcome.mirrors[0];
  if (firstMirror) {
    const service = mirrorResolver(snapshot, route, kind)(firstMirror.backend);
    if (service) mirror = { share: firstMirror.share, host: service.host, endpoints: service.endpoints };
  }
  return {
    host,
    virtualService: name,
    branches: branchesOf(snapshot, source, outcome.backends),
    ...(outcome.timeouts.requestMs !== undefined ? { timeoutMs: outcome.timeouts.requestMs } : {}),
    retry: retryOf(httpRule, outcome.timeouts.backendRequestMs),
    ...(mirror ? { mirror } : {}),
  };
}

function noRoute(host: string, what: string): RouteDecision {
  return {
    host,
    virtualService: what,
    branches: [{ kind: "local-reply", share: 1, host, responseCode: 404, responseFlag: "NR", reason: `no rule of ${what} matches` }],
    retry: DEFAULT_RETRY,
  };
}

function decideHttp(snapshot: MeshSnapshot, source: Workload, host: string, request: RequestAttributes, routes: HTTPRouteObject[], ignoreHostnames: boolean, what: string): RouteDecision {
  const choice: RuleChoice<HTTPRouteObject, IHTTPRouteRule> | undefined = selectHttpRule(routes, { host, path: request.uri, method: request.method, headers: request.headers }, { ignoreHostnames });
  if (!choice) return noRoute(host, what);
  const namespace = routeNamespaceOf(choice.route);
  const resolutions = resolveBackendRefs(asResolvable(choice.route, "HTTPRoute"), snapshot.gatewayApi.world);
  const match = choice.matchIndex >= 0 ? choice.rule.matches?.[choice.matchIndex] : undefined;
  const outcome = applyHttpRule(choice.rule, match, namespace, { scheme: "http", host, path: request.uri, headers: request.headers }, backendResolver(snapshot, resolutions, choice.ruleIndex));
  return decisionOf(snapshot, source, host, choice.route, "HTTPRoute", outcome, choice.rule);
}

function decideGrpc(snapshot: MeshSnapshot, source: Workload, host: string, request: RequestAttributes, routes: GRPCRouteObject[], what: string): RouteDecision {
  const call = parseGrpcPath(request.uri) ?? { service: "", method: "" };
  const choice = selectGrpcRule(routes, { host, ...call, headers: request.headers }, { ignoreHostnames: true });
  if (!choice) return noRoute(host, what);
  const namespace = routeNamespaceOf(choice.route);
  const resolutions = resolveBackendRefs(asResolvable(choice.route, "GRPCRoute"), snapshot.gatewayApi.world);
  const outcome = applyGrpcRule(choice.rule, namespace, { scheme: "http", host, path: request.uri, headers: request.headers }, backendResolver(snapshot, resolutions, choice.ruleIndex));
  return decisionOf(snapshot, source, host, choice.route, "GRPCRoute", outcome, undefined);
}

/**
 * Ingress at a Gateway API gateway: the HTTPRoutes whose parentRef to this Gateway is accepted on a
 * listener whose hostname takes the request's host, each seen with the hostnames it serves there.
 */
function resolveIngress(snapshot: MeshSnapshot, source: Workload, gateway: GatewayObject, host: string, request: RequestAttributes): RouteDecision {
  const gatewayName = gateway.metadata?.name ?? "";
  const gatewayNamespace = gateway.metadata?.namespace ?? "";
  const listeners = new Set(gateway.spec.listeners.filter((l) => (l.protocol === "HTTP" || l.protocol === "HTTPS") && hostnameMatches(l.hostname ?? "*", host)).map((l) => l.name));
  const attached: HTTPRouteObject[] = [];
  for (const route of snapshot.gatewayApi.httpRoutes) {
    const hostnames = new Set<string>();
    for (const resolution of resolveParentRefs(asResolvable(route, "HTTPRoute"), snapshot.gatewayApi.world)) {
      if (resolution.parentKind !== "Gateway" || resolution.target.name !== gatewayName || resolution.target.namespace !== gatewayNamespace) continue;
      for (const binding of resolution.listeners) if (binding.accepted && listeners.has(binding.listener)) binding.hostnames.forEach((h) => hostnames.add(h));
    }
    if (hostnames.size > 0) attached.push({ ...route, spec: { ...route.spec, hostnames: [...hostnames] } });
  }
  return decideHttp(snapshot, source, host, request, attached, false, `Gateway ${gatewayNamespace}/${gatewayName}`);
}

/**
 * The Gateway API's decision for this request, or undefined when no Gateway API route governs it
 * (then VirtualServices, or the Service's own endpoints, do).
 */
export function resolveGatewayApiRoute(
  snapshot: MeshSnapshot,
  source: Workload,
  host: string,
  request: RequestAttributes,
  protocol: "http" | "grpc",
): RouteDecision | undefined {
  if (!source.hasProxy) return undefined;
  // A waypoint is a Gateway too, but it routes mesh traffic: the GAMMA routes of the Service apply.
  const gateway = source.isWaypoint ? undefined : gatewayOfWorkload(snapshot, source);
  if (gateway) return resolveIngress(snapshot, source, gateway, host, request);
  const service = snapshot.services.get(host);
  if (!service) return undefined;
  const target = { namespace: service.namespace, name: service.name, port: service.port };
  if (protocol === "grpc") {
    const grpcRoutes = meshRoutesFor(snapshot.gatewayApi.grpcRoutes, target, source.namespace);
    if (grpcRoutes.length > 0) return decideGrpc(snapshot, source, host, request, grpcRoutes, `GRPCRoutes for ${service.namespace}/${service.name}`);
  }
  const httpRoutes = meshRoutesFor(snapshot.gatewayApi.httpRoutes, target, source.namespace);
  if (httpRoutes.length === 0) return undefined;
  return decideHttp(snapshot, source, host, request, httpRoutes, true, `HTTPRoutes for ${service.namespace}/${service.name}`);
}
