import {
  gatewayControllerName,
  gatewayIsIstio,
  ISTIO_CONTROLLER_NAME,
  ISTIO_MESH_CONTROLLER_NAME,
  isIstioController,
  listenerSupportedKinds,
  resolveBackendRefs,
  resolveParentRefs,
  type BackendRefResolution,
  type GatewayApiRoute,
  type GatewayApiWorld,
  type ParentRefResolution,
} from "./references";
import type { ICondition, IGateway, IGatewayClass, IGatewayStatus, IListener, IListenerStatus, IRouteParentStatus } from "./types";
import { WAYPOINT_GATEWAY_CLASS } from "@/lib/istio/ambient";
import { serviceFqdn } from "@/lib/istio/host";

/**
 * The status istiod writes on Gateway API objects it controls (GatewayClasses of its controllers
 * `istio.io/gateway-controller` and, for waypoints, `istio.io/mesh-controller`; Gateways of those
 * classes; routes attached to them or to Services), as pure functions of the objects, after Istio's `pilot/pkg/config/kube/gateway` (conditions and
 * messages) and https://gateway-api.sigs.k8s.io/reference/spec/ (condition types and reasons).
 *
 * Exported API:
 * - {@link routeStatus}(route, world, now): the route's `status` — `parents[]` with one entry per
 *   distinct parentRef istiod manages (`Accepted` and `ResolvedRefs`, `controllerName`), after any
 *   entries other controllers wrote, which are kept as they are.
 * - {@link gatewayStatus}(gateway, world with routes, now): the Gateway's `status` (`Accepted`,
 *   `Programmed`, `addresses`, per-listener `Accepted`/`Conflicted`/`Programmed`/`ResolvedRefs`,
 *   `supportedKinds`, `attachedRoutes`), or undefined when istiod is not its controller.
 * - {@link gatewayClassStatus}(class, now): `Accepted` for classes of istiod's controller, else undefined.
 * - {@link statusEqual}: deep equality, so a writer writes only on change.
 *
 * Equality-friendly: a condition whose status is unchanged keeps the `lastTransitionTime` of the one
 * already in the object's status (Kubernetes' rule for conditions), so computing the status again
 * with a later `now` gives an equal result until something really changes.
 * `now` is an RFC 3339 time in whole seconds (`2026-01-01T00:00:00Z`), as metav1.Time serialises.
 */

export interface RouteWithStatus extends GatewayApiRoute {
  readonly status?: { readonly parents?: readonly IRouteParentStatus[] };
}

export interface GatewayWithStatus extends IGateway {
  readonly status?: IGatewayStatus;
}

/** The world plus the routes, for the Gateway's attached-route counts. */
export interface GatewayStatusWorld extends GatewayApiWorld {
  readonly routes: readonly GatewayApiRoute[];
}

interface DesiredCondition {
  readonly type: string;
  readonly status: "True" | "False";
  readonly reason: string;
  readonly message: string;
}

/** Conditions sorted by type (as istiod writes them), carrying over unchanged transition times. */
function buildConditions(desired: readonly DesiredCondition[], previous: readonly ICondition[] | undefined, generation: number | undefined, now: string): ICondition[] {
  return [...desired]
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
    .map((condition) => {
      const before = previous?.find((candidate) => candidate.type === condition.type);
      const lastTransitionTime = before && before.status === condition.status ? before.lastTransitionTime : now;
      return {
        type: condition.type,
        status: condition.status,
        reason: condition.reason,
        message: condition.message,
        ...(generation !== undefined ? { observedGeneration: generation } : {}),
        lastTransitionTime,
      };
    });
}

function sameParentRef(a: IRouteParentStatus["parentRef"], b: IRouteParentStatus["parentRef"]): boolean {
  return (
    a.name === b.name &&
    (a.namespace ?? "") === (b.namespace ?? "") &&
    (a.group ?? "") === (b.group ?? "") &&
    (a.kind ?? "") === (b.kind ?? "") &&
    (a.sectionName ?? "") === (b.sectionName ?? "") &&
    (a.port ?? 0) === (b.port ?? 0)
  );
}

/**
 * The route-wide `ResolvedRefs` failure, as istiod picks it: an invalid destination (no port, a
 * hostname for a name) stops the conversion at the first one; otherwise the last unresolved backend.
 */
export function routeBackendError(backends: readonly BackendRefResolution[]): BackendRefResolution | undefined {
  const failed = backends.filter((backend) => !backend.resolved);
  return failed.find((backend) => backend.reason === "InvalidDestination") ?? failed.at(-1);
}

function parentEntry(resolution: ParentRefResolution, backendError: BackendRefResolution | undefined, previous: IRouteParentStatus | undefined, generation: number | undefined, now: string): IRouteParentStatus {
  const accepted: DesiredCondition = resolution.accepted
    ? { type: "Accepted", status: "True", reason: "Accepted", message: resolution.message }
    : { type: "Accepted", status: "False", reason: resolution.reason, message: resolution.message };
  const resolvedRefs: DesiredCondition = backendError
    ? { type: "ResolvedRefs", status: "False", reason: backendError.reason, message: backendError.message }
    : { type: "ResolvedRefs", status: "True", reason: "ResolvedRefs", message: "All references resolved" };
  return {
    parentRef: resolution.parentRef,
    // istiod writes every route parent under its gateway controller, a waypoint parent included.
    controllerName: ISTIO_CONTROLLER_NAME,
    conditions: buildConditions([accepted, resolvedRefs], previous?.conditions, generation, now),
  };
}

/** The `status` istiod writes on an HTTPRoute, GRPCRoute, TLSRoute or TCPRoute. */
export function routeStatus(route: RouteWithStatus, world: GatewayApiWorld, now: string): { parents: IRouteParentStatus[] } {
  const current = route.status?.parents ?? [];
  const others = current.filter((entry) => entry.controllerName !== ISTIO_CONTROLLER_NAME);
  const ours = current.filter((entry) => entry.controllerName === ISTIO_CONTROLLER_NAME);
  const backendError = routeBackendError(resolveBackendRefs(route, world));
  const generation = route.metadata?.generation;
  const parents: IRouteParentStatus[] = [...others];
  for (const resolution of resolveParentRefs(route, world)) {
    if (!resolution.managed) continue;
    // The same parentRef written twice is one status entry.
    if (parents.some((entry) => entry.controllerName === ISTIO_CONTROLLER_NAME && sameParentRef(entry.parentRef, resolution.parentRef))) continue;
    const previous = ours.find((entry) => sameParentRef(entry.parentRef, resolution.parentRef));
    parents.push(parentEntry(resolution, backendError, previous, generation, now));
  }
  return { parents };
}

const supportedProtocols = new Set(["HTTP", "HTTPS", "TCP", "TLS"]);
/** Istio's own listener protocol, for the mesh traffic a waypoint takes in over mutual TLS. */
const HBONE = "HBONE";

/**
 * The Service (and Deployment) istiod deploys for a Gateway: `<gateway>-<class>` (`<gateway>-istio`),
 * but a waypoint (class `istio-waypoint`) is named after its Gateway alone.
 */
export function gatewayServiceName(gateway: IGateway): string {
  const name = gateway.metadata?.name ?? "";
  return gateway.spec.gatewayClassName === WAYPOINT_GATEWAY_CLASS ? name : `${name}-${gateway.spec.gatewayClassName}`;
}

function listenerConflict(listener: IListener, listeners: readonly IListener[]): DesiredCondition {
  const samePort = listeners.filter((other) => other !== listener && other.port === listener.port);
  if (samePort.some((other) => other.protocol !== listener.protocol)) {
    return { type: "Conflicted", status: "True", reason: "ProtocolConflict", message: `another listener uses port ${listener.port} with a different protocol` };
  }
  if (samePort.some((other) => (other.hostname ?? "") === (listener.hostname ?? ""))) {
    return { type: "Conflicted", status: "True", reason: "HostnameConflict", message: `another listener on port ${listener.port} has the same hostname` };
  }
  return { type: "Conflicted", status: "False", reason: "NoConflicts", message: "No errors found" };
}

function attachedRouteCount(gateway: IGateway, listenerName: string, routes: readonly GatewayApiRoute[], world: GatewayApiWorld): number {
  let count = 0;
  for (const route of routes) {
    const attached = resolveParentRefs(route, world).some(
      (resolution) =>
        resolution.parentKind === "Gateway" &&
        resolution.target.name === gateway.metadata?.name &&
        resolution.target.namespace === gateway.metadata?.namespace &&
        resolution.listeners.some((binding) => binding.listener === listenerName && binding.accepted),
    );
    if (attached) count += 1;
  }
  return count;
}

/** Why istiod refuses a listener's protocol, or undefined when it serves it. */
function unsupportedProtocol(gateway: GatewayWithStatus, listener: IListener, world: GatewayStatusWorld): string | undefined {
  if (supportedProtocols.has(listener.protocol)) return undefined;
  if (listener.protocol !== HBONE) return `protocol "${listener.protocol}" is unsupported`;
  return gatewayControllerName(gateway, world.gatewayClasses) === ISTIO_MESH_CONTROLLER_NAME ? undefined : `protocol "${HBONE}" is only supported for waypoint proxies`;
}

function listenerStatus(gateway: GatewayWithStatus, listener: IListener, world: GatewayStatusWorld, now: string): IListenerStatus {
  const previous = gateway.status?.listeners?.find((entry) => entry.name === listener.name);
  const generation = gateway.metadata?.generation;
  const supported = listenerSupportedKinds(listener);
  const conflict = listenerConflict(listener, gateway.spec.listeners);
  const protocolProblem = unsupportedProtocol(gateway, listener, world);
  const protocolOk = protocolProblem === undefined;
  const desired: DesiredCondition[] = [
    protocolOk
      ? { type: "Accepted", status: "True", reason: "Accepted", message: "No errors found" }
      : { type: "Accepted", status: "False", reason: "UnsupportedProtocol", message: protocolProblem },
    conflict,
    protocolOk && conflict.status === "False"
      ? { type: "Programmed", status: "True", reason: "Programmed", message: "No errors found" }
      : { type: "Programmed", status: "False", reason: "Invalid", message: "Listener is not valid" },
    supported.allValid
      ? { type: "ResolvedRefs", status: "True", reason: "ResolvedRefs", message: "No errors found" }
      : { type: "ResolvedRefs", status: "False", reason: "InvalidRouteKinds", message: "Invalid route kinds" },
  ];
  return {
    name: listener.name,
    attachedRoutes: protocolOk ? attachedRouteCount(gateway, listener.name, world.routes, world) : 0,
    supportedKinds: supported.kinds,
    conditions: buildConditions(desired, previous?.conditions, generation, now),
  };
}

/** The `status` istiod writes on a Gateway it controls; undefined when another controller owns it. */
export function gatewayStatus(gateway: GatewayWithStatus, world: GatewayStatusWorld, now: string): IGatewayStatus | undefined {
  if (!gatewayIsIstio(gateway, world.gatewayClasses)) return undefined;
  const namespace = gateway.metadata?.namespace ?? "";
  const serviceName = gatewayServiceName(gateway);
  const host = serviceFqdn(serviceName, namespace);
  const deployed = world.services.some((service) => service.metadata?.name === serviceName && service.metadata.namespace === namespace);
  const ports = [...new Set(gateway.spec.listeners.map((listener) => listener.port))].sort((a, b) => a - b);
  const generation = gateway.metadata?.generation;
  const desired: DesiredCondition[] = [
    { type: "Accepted", status: "True", reason: "Accepted", message: "Resource accepted" },
    deployed
      ? { type: "Programmed", status: "True", reason: "Programmed", message: `Resource programmed, assigned to service(s) ${ports.map((port) => `${host}:${port}`).join(", ")}` }
      : { type: "Programmed", status: "False", reason: "AddressNotAssigned", message: `Failed to assign to any requested addresses: hostname "${host}" not found` },
  ];
  return {
    ...(deployed ? { addresses: [{ type: "Hostname", value: host }] } : {}),
    conditions: buildConditions(desired, gateway.status?.conditions, generation, now),
    listeners: gateway.spec.listeners.map((listener) => listenerStatus(gateway, listener, world, now)),
  };
}

/** The `status` istiod writes on a GatewayClass of either of its controllers; undefined for other controllers' classes. */
export function gatewayClassStatus(gatewayClass: IGatewayClass & { readonly status?: { readonly conditions?: readonly ICondition[] } }, now: string): { conditions: ICondition[] } | undefined {
  if (!isIstioController(gatewayClass.spec.controllerName)) return undefined;
  const desired: DesiredCondition[] = [{ type: "Accepted", status: "True", reason: "Accepted", message: "Handled by Istio controller" }];
  return { conditions: buildConditions(desired, gatewayClass.status?.conditions, gatewayClass.metadata?.generation, now) };
}

/** Deep equality of two JSON-like status values (key order ignored). */
export function statusEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => statusEqual(item, b[index]));
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(aRecord), ...Object.keys(bRecord)].filter((key) => aRecord[key] !== undefined || bRecord[key] !== undefined));
  for (const key of keys) if (!statusEqual(aRecord[key], bRecord[key])) return false;
  return true;
}
