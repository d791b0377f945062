/**
 * What each VirtualService wizard changes: pure functions from the current VirtualService (or
 * none) to the one to write. Fault injection, timeouts, retries and mirroring apply to the
 * service's default route, the one that carries the traffic split.
 */
import type { FaultInjectionInput, MirroringInput, RequestRoutingInput, RouteMatch, TimeoutsInput } from "@/lib/routing/schemas";
import { CONSOLE_ROUTE_PREFIX, type HttpRoute, type ServiceRef, type VirtualService } from "./istioObjects";
import { consoleRouteName, defaultRouteIndex, destinationsFor, withDefaultRoute } from "./virtualService";

/** Sets the default route's split; `weights` were checked against the service's subsets before. */
export function trafficShift(current: VirtualService | undefined, ref: ServiceRef, weights: Readonly<Record<string, number>>): VirtualService {
  const { vs, index } = withDefaultRoute(current, ref);
  const route = vs.spec.http![index]!;
  route.route = destinationsFor(route.route ?? [], ref, weights);
  return vs;
}

/** Istio's HTTPMatchRequest for one wizard rule (https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest). */
function matchRequest(match: RouteMatch): Record<string, unknown> {
  const value = { [match.type]: match.value };
  // Istio matches header names in lower case; Envoy normalises them that way.
  return match.on === "header" ? { headers: { [match.header.toLowerCase()]: value } } : { uri: value };
}

/**
 * Replaces the console's match routes with the given rules, in order, just before the default
 * route, and sends the rest to `defaultSubset`. Routes someone else wrote stay where they are.
 */
export function requestRouting(current: VirtualService | undefined, ref: ServiceRef, input: Pick<RequestRoutingInput, "rules" | "defaultSubset">): VirtualService {
  const { vs } = withDefaultRoute(current, ref);
  const kept = vs.spec.http!.filter((route) => !route.name?.startsWith(`${CONSOLE_ROUTE_PREFIX}match-`));
  vs.spec.http = kept;
  const index = defaultRouteIndex(vs, ref);
  const defaultRoute = kept[index]!;
  const host = defaultRoute.route?.[0]?.destination.host ?? ref.service;
  const rules: HttpRoute[] = input.rules.map((rule, position) => ({
    name: consoleRouteName("match", position),
    match: [matchRequest(rule.match)],
    route: [{ destination: { host, subset: rule.subset } }],
  }));
  defaultRoute.route = destinationsFor(defaultRoute.route ?? [], ref, { [input.defaultSubset]: 100 });
  vs.spec.http = [...kept.slice(0, index), ...rules, ...kept.slice(index)];
  return vs;
}

/** Istio's HTTPFaultInjection (https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection). */
export function faultInjection(current: VirtualService | undefined, ref: ServiceRef, input: Pick<FaultInjectionInput, "delay" | "abort">): VirtualService {
  const { vs, index } = withDefaultRoute(current, ref);
  const route = vs.spec.http![index]!;
  const fault: Record<string, unknown> = {};
  if (input.delay) fault.delay = { percentage: { value: input.delay.percentage }, fixedDelay: input.delay.fixedDelay };
  if (input.abort) fault.abort = { percentage: { value: input.abort.percentage }, httpStatus: input.abort.httpStatus };
  route.fault = fault;
  return vs;
}

/** Timeout and HTTPRetry on the default route (https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry). */
export function timeouts(current: VirtualService | undefined, ref: ServiceRef, input: Pick<TimeoutsInput, "timeout" | "retries">): VirtualService {
  const { vs, index } = withDefaultRoute(current, ref);
  const route = vs.spec.http![index]!;
  if (input.timeout) route.timeout = input.timeout;
  if (input.retries) {
    const retries: Record<string, unknown> = { attempts: input.retries.attempts };
    if (input.retries.perTryTimeout) retries.perTryTimeout = input.retries.perTryTimeout;
    if (input.retries.retryOn && input.retries.retryOn.length > 0) retries.retryOn = input.retries.retryOn.join(",");
    route.retries = retries;
  }
  return vs;
}

/**
 * Mirrors a share of the default route's requests to a subset; mirrored requests are fire-and-forget,
 * their answers are dropped (https://istio.io/latest/docs/tasks/traffic-management/mirroring/).
 * 0 % removes the mirror.
 */
export function mirroring(current: VirtualService | undefined, ref: ServiceRef, input: Pick<MirroringInput, "subset" | "percentage">): VirtualService {
  const { vs, index } = withDefaultRoute(current, ref);
  const route = vs.spec.http![index]!;
  if (input.percentage <= 0) {
    delete route.mirror;
    delete route.mirrorPercentage;
    return vs;
  }
  const host = route.route?.[0]?.destination.host ?? ref.service;
  route.mirror = { host, subset: input.subset };
  route.mirrorPercentage = { value: input.percentage };
  return vs;
}
