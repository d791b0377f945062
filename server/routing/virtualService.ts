/**
 * Reading and editing one service's routes inside a VirtualService, keeping every route, host and
 * field the console does not manage.
 *
 * The "default route" is the last HTTP route without a match whose destinations are all the
 * service: Istio tries routes in order and the first match wins, so an unmatched route at the end
 * catches what no rule before it took (https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute).
 */
import {
  clone,
  CONSOLE_ROUTE_PREFIX,
  CREATED_BY_LABEL,
  CREATED_BY_VALUE,
  createdByConsole,
  DEFAULT_ROUTE_NAME,
  isConsoleRoute,
  type HttpRoute,
  type RouteDestination,
  type ServiceRef,
  type VirtualService,
} from "./istioObjects";
import { namesService } from "@/lib/istio/host";
import { destinationUses, isMeshBound, normalizedVirtualServiceSchema } from "@/lib/istio/virtualService";

/**
 * The VirtualService that routes the service inside the mesh: one named after the service if it
 * has the service among its hosts, else the first such one bound to the mesh (no gateways, or the
 * reserved `mesh` gateway) in the service's namespace.
 */
export function findServiceVirtualService(candidates: readonly VirtualService[], ref: ServiceRef): VirtualService | undefined {
  const namespace = (vs: VirtualService) => vs.metadata.namespace ?? ref.namespace;
  const routesService = (vs: VirtualService) =>
    namespace(vs) === ref.namespace &&
    (vs.spec.hosts ?? []).some((host) => namesService(host, namespace(vs), ref)) &&
    isMeshBound(vs.spec.gateways);
  const matching = candidates.filter(routesService).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return matching.find((vs) => vs.metadata.name === ref.service) ?? matching[0];
}

export function newVirtualService(ref: ServiceRef): VirtualService {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: ref.service, namespace: ref.namespace, labels: { [CREATED_BY_LABEL]: CREATED_BY_VALUE } },
    spec: { hosts: [ref.service], http: [] },
  };
}

function isCatchAll(route: HttpRoute): boolean {
  return !route.match || route.match.length === 0 || route.match.every((match) => Object.keys(match).filter((key) => key !== "name").length === 0);
}

function allToService(route: HttpRoute, vsNamespace: string, ref: ServiceRef): boolean {
  return (route.route ?? []).length > 0 && (route.route ?? []).every((entry) => namesService(entry.destination.host, vsNamespace, ref));
}

export function defaultRouteIndex(vs: VirtualService, ref: ServiceRef): number {
  const http = vs.spec.http ?? [];
  const vsNamespace = vs.metadata.namespace ?? ref.namespace;
  for (let index = http.length - 1; index >= 0; index--) {
    const route = http[index]!;
    if (isCatchAll(route) && allToService(route, vsNamespace, ref)) return index;
  }
  return -1;
}

/**
 * A copy of the VirtualService (or a new one) with a default route for the service, and that
 * route's index. A missing default route is added last, to the whole service.
 */
export function withDefaultRoute(current: VirtualService | undefined, ref: ServiceRef): { vs: VirtualService; index: number } {
  const vs = current ? clone(current) : newVirtualService(ref);
  vs.spec.http ??= [];
  let index = defaultRouteIndex(vs, ref);
  if (index < 0) {
    vs.spec.http.push({ name: DEFAULT_ROUTE_NAME, route: [{ destination: { host: ref.service } }] });
    index = vs.spec.http.length - 1;
  }
  return { vs, index };
}

/** Subset → weight of a route; a lone destination without weight carries everything (Istio's rule). */
export function routeWeights(route: HttpRoute): Record<string, number> | null {
  const destinations = route.route ?? [];
  if (destinations.length === 0 || destinations.some((entry) => !entry.destination.subset)) return null;
  const weights: Record<string, number> = {};
  for (const entry of destinations) {
    const subset = entry.destination.subset!;
    weights[subset] = (weights[subset] ?? 0) + (entry.weight ?? (destinations.length === 1 ? 100 : 0));
  }
  return weights;
}

/** The configured split of the service's default route, or null when no route splits it by subset. */
export function configuredWeights(vs: VirtualService | undefined, ref: ServiceRef): Record<string, number> | null {
  if (!vs) return null;
  const index = defaultRouteIndex(vs, ref);
  return index < 0 ? null : routeWeights(vs.spec.http![index]!);
}

/**
 * Destinations for the given weights: subsets at 0 % are left out (Istio needs none of them), and a
 * destination's other fields (its port) are kept from the route being replaced.
 */
export function destinationsFor(previous: readonly RouteDestination[], ref: ServiceRef, weights: Readonly<Record<string, number>>): RouteDestination[] {
  const template = previous.find((entry) => entry.destination.host)?.destination;
  const host = template?.host ?? ref.service;
  const port = template?.port;
  return Object.entries(weights)
    .filter(([, weight]) => weight > 0)
    .map(([subset, weight]) => {
      const old = previous.find((entry) => entry.destination.subset === subset);
      return { ...(old ? clone(old) : {}), destination: { ...(old?.destination ?? (port ? { port: clone(port) } : {})), host, subset }, weight };
    });
}

/** Every subset of the service the VirtualService routes or mirrors to, over HTTP, TCP and TLS routes. */
export function referencedSubsets(vs: VirtualService | undefined, ref: ServiceRef): Set<string> {
  const subsets = new Set<string>();
  if (!vs) return subsets;
  const vsNamespace = vs.metadata.namespace ?? ref.namespace;
  const normalized = normalizedVirtualServiceSchema.safeParse(vs);
  // A VirtualService the normalized reading refuses (a fractional weight) is read as written, HTTP routes only.
  const destinations = normalized.success ? destinationUses(normalized.data.spec).map((use) => use.destination) : (vs.spec.http ?? []).flatMap((route) => (route.route ?? []).map((entry) => entry.destination));
  for (const destination of destinations) {
    if (destination?.subset && destination.host && namesService(destination.host, vsNamespace, ref)) subsets.add(destination.subset);
  }
  return subsets;
}

/**
 * The VirtualService without what the console added: its named routes go; a VirtualService the
 * console created, or one left without any route, is deleted (null).
 */
export function withoutConsoleRoutes(vs: VirtualService): VirtualService | null {
  if (createdByConsole(vs)) return null;
  const copy = clone(vs);
  copy.spec.http = (copy.spec.http ?? []).filter((route) => !isConsoleRoute(route));
  if (copy.spec.http.length === 0) delete copy.spec.http;
  const hasRoutes = (copy.spec.http?.length ?? 0) > 0 || Array.isArray(copy.spec.tcp) || Array.isArray(copy.spec.tls);
  return hasRoutes ? copy : null;
}

export function hasConsoleRouting(vs: VirtualService | undefined): boolean {
  return !!vs && (createdByConsole(vs) || (vs.spec.http ?? []).some(isConsoleRoute));
}

export function consoleRouteName(kind: string, index: number): string {
  return `${CONSOLE_ROUTE_PREFIX}${kind}-${index + 1}`;
}
