import { WAYPOINT_GATEWAY_CLASS } from "@/lib/istio/ambient";
import { hostCovers, serviceFqdn } from "@/lib/istio/host";
import type { IBackendObjectReference, IGateway, IGatewayClass, IListener, IParentReference, IReferenceGrant, IRouteGroupKind } from "./types";

/**
 * How a Gateway API route's references resolve, as istiod resolves them (Istio's
 * `pilot/pkg/config/kube/gateway`, and https://gateway-api.sigs.k8s.io/reference/spec/). Pure: the
 * caller hands in the objects (a {@link GatewayApiWorld}); nothing here reads a cluster.
 *
 * Exported API:
 * - {@link GATEWAY_API_GROUP}, {@link ISTIO_CONTROLLER_NAME}, {@link ISTIO_GATEWAY_CLASS}
 * - {@link normalizeParentRef} / {@link normalizeBackendRef}: a reference with the spec's defaults
 *   (parent: group `gateway.networking.k8s.io`, kind `Gateway`; backend: group `""`, kind `Service`;
 *   namespace: the route's own).
 * - {@link gatewayIsIstio}: whether istiod manages a Gateway (its class's controller is
 *   `istio.io/gateway-controller`; class `istio` counts even when its GatewayClass object is absent,
 *   since istiod creates it).
 * - {@link hostnameIntersection}: the hostnames a listener and a route have in common (exact names and
 *   `*.` wildcards, each side may be the wider one).
 * - {@link listenerSupportedKinds}, {@link listenerAllowsNamespace}, {@link listenerAllowsKind}:
 *   listener `allowedRoutes` (namespaces From Same/All/Selector, kinds; defaults Same and the kinds
 *   the protocol carries).
 * - {@link resolveParentRefs}: per `spec.parentRefs[i]`, whether the route attaches, to which
 *   listeners, and the reason (`Accepted`, `NotAllowedByListeners`, `NoMatchingListenerHostname`,
 *   `NoMatchingParent`, `UnsupportedValue`) with istiod's message; `managed` says whether istiod writes
 *   a status entry for it.
 * - {@link referenceGrantAllows}: whether a ReferenceGrant in the target namespace lets a
 *   `from` group/kind/namespace refer to a `to` group/kind/name.
 * - {@link resolveBackendRefs}: per `spec.rules[r].backendRefs[b]`: resolved, `RefNotPermitted`,
 *   `BackendNotFound`, `InvalidKind`, or istiod's `InvalidDestination`; plus whether the Service
 *   exposes the port (istiod does not check that, the console does).
 *
 * Cross-namespace parentRefs need no ReferenceGrant: the listener's `allowedRoutes.namespaces`
 * decides (and a GAMMA route may name a Service in another namespace as a consumer route).
 */

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
/** istiod's controller for ingress and egress Gateways (class `istio`); it also writes every route's status. */
export const ISTIO_CONTROLLER_NAME = "istio.io/gateway-controller";
/** istiod's controller for waypoints (class `istio-waypoint`). */
export const ISTIO_MESH_CONTROLLER_NAME = "istio.io/mesh-controller";
export const ISTIO_GATEWAY_CLASS = "istio";

/** Whether a GatewayClass of this controller is istiod's. */
export function isIstioController(controllerName: string): boolean {
  return controllerName === ISTIO_CONTROLLER_NAME || controllerName === ISTIO_MESH_CONTROLLER_NAME;
}

export type RouteKind = "HTTPRoute" | "GRPCRoute" | "TLSRoute" | "TCPRoute";

/** Structural, and null-tolerant: parsed YAML and client-node objects both fit. */
interface ObjectMetaLike {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>> | null;
  readonly generation?: number;
}

/** A Kubernetes Service, structurally (client-node's V1Service and the models' IService both fit). */
export interface ServiceLike {
  readonly metadata?: ObjectMetaLike;
  readonly spec?: { readonly ports?: readonly { readonly port: number; readonly name?: string }[] | null } | null;
}

export interface NamespaceLike {
  readonly metadata?: ObjectMetaLike;
}

/** An Istio ServiceEntry, for backendRefs of kind `Hostname` (group `networking.istio.io`). */
export interface ServiceEntryLike {
  readonly metadata?: ObjectMetaLike;
  readonly spec?: { readonly hosts?: readonly string[] | null } | null;
}

export interface BackendRefLike extends IBackendObjectReference {
  readonly weight?: number;
}

/** Any of the route kinds, with the fields reference resolution reads. */
export interface GatewayApiRoute {
  readonly kind: RouteKind;
  readonly metadata?: ObjectMetaLike;
  readonly spec?: {
    readonly parentRefs?: readonly IParentReference[];
    readonly hostnames?: readonly string[];
    readonly rules?: readonly { readonly backendRefs?: readonly BackendRefLike[] }[];
  };
}

/** The objects resolution looks at. Absent kinds are empty lists. */
export interface GatewayApiWorld {
  readonly gateways: readonly IGateway[];
  readonly gatewayClasses: readonly IGatewayClass[];
  readonly services: readonly ServiceLike[];
  readonly namespaces: readonly NamespaceLike[];
  readonly referenceGrants: readonly IReferenceGrant[];
  readonly serviceEntries?: readonly ServiceEntryLike[];
}

export interface NormalizedRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export function normalizeParentRef(ref: IParentReference, routeNamespace: string): NormalizedRef & { readonly sectionName?: string; readonly port?: number } {
  return {
    group: ref.group ?? GATEWAY_API_GROUP,
    kind: ref.kind ?? "Gateway",
    namespace: ref.namespace ?? routeNamespace,
    name: ref.name,
    ...(ref.sectionName !== undefined ? { sectionName: ref.sectionName } : {}),
    ...(ref.port !== undefined ? { port: ref.port } : {}),
  };
}

export function normalizeBackendRef(ref: IBackendObjectReference, routeNamespace: string): NormalizedRef & { readonly port?: number } {
  return {
    group: ref.group ?? "",
    kind: ref.kind ?? "Service",
    namespace: ref.namespace ?? routeNamespace,
    name: ref.name,
    ...(ref.port !== undefined ? { port: ref.port } : {}),
  };
}

function nameOf(object: { readonly metadata?: ObjectMetaLike }): string {
  return object.metadata?.name ?? "";
}

function namespaceOf(object: { readonly metadata?: ObjectMetaLike }): string {
  return object.metadata?.namespace ?? "";
}

/**
 * The controller of this Gateway's class. A class not (yet) in the cluster counts as istiod's when
 * it has the name of one istiod creates itself: `istio`, and `istio-waypoint` for waypoints.
 */
export function gatewayControllerName(gateway: IGateway, classes: readonly IGatewayClass[]): string | undefined {
  const className = gateway.spec.gatewayClassName;
  const gatewayClass = classes.find((candidate) => nameOf(candidate) === className);
  if (gatewayClass) return gatewayClass.spec.controllerName;
  if (className === ISTIO_GATEWAY_CLASS) return ISTIO_CONTROLLER_NAME;
  if (className === WAYPOINT_GATEWAY_CLASS) return ISTIO_MESH_CONTROLLER_NAME;
  return undefined;
}

/** Whether istiod is the controller of this Gateway. */
export function gatewayIsIstio(gateway: IGateway, classes: readonly IGatewayClass[]): boolean {
  const controller = gatewayControllerName(gateway, classes);
  return controller !== undefined && isIstioController(controller);
}

/**
 * The hostname two hostnames have in common, or undefined: equal names; a wildcard `*.example.com`
 * over `a.example.com` or `a.b.example.com` (never `example.com`) or over the narrower `*.b.example.com`.
 * The narrower of the two is the intersection.
 */
export function hostnamePairIntersection(a: string, b: string): string | undefined {
  if (hostCovers(a, b)) return b;
  if (hostCovers(b, a)) return a;
  return undefined;
}

/**
 * The hostnames a route serves on a listener (the spec's "intersection"): a listener without a
 * hostname takes the route's; a route without hostnames takes the listener's; both absent is `*`.
 * Empty when they have nothing in common, which rejects the route on that listener.
 */
export function hostnameIntersection(listenerHostname: string | undefined, routeHostnames: readonly string[]): string[] {
  if (!listenerHostname) return routeHostnames.length > 0 ? [...routeHostnames] : ["*"];
  if (routeHostnames.length === 0) return [listenerHostname];
  const out: string[] = [];
  for (const hostname of routeHostnames) {
    const common = hostnamePairIntersection(listenerHostname, hostname);
    if (common !== undefined && !out.includes(common)) out.push(common);
  }
  return out;
}

function routeGroupKind(group: string, kind: string): IRouteGroupKind {
  return { group, kind };
}

/** The route kinds istiod serves on a listener of this protocol (before `allowedRoutes.kinds`). */
function protocolKinds(listener: IListener): IRouteGroupKind[] {
  switch (listener.protocol) {
    case "HTTP":
    case "HTTPS":
      return [routeGroupKind(GATEWAY_API_GROUP, "HTTPRoute"), routeGroupKind(GATEWAY_API_GROUP, "GRPCRoute")];
    case "TCP":
      return [routeGroupKind(GATEWAY_API_GROUP, "TCPRoute")];
    case "TLS":
      // The spec's default mode is Terminate; istiod serves terminated TLS as TCP.
      return listener.tls?.mode === "Passthrough"
        ? [routeGroupKind(GATEWAY_API_GROUP, "TLSRoute")]
        : [routeGroupKind(GATEWAY_API_GROUP, "TCPRoute")];
    default:
      return [];
  }
}

/**
 * The kinds a listener accepts (`status.listeners[].supportedKinds`), and whether every kind listed
 * in `allowedRoutes.kinds` is one istiod supports there (false → `InvalidRouteKinds`).
 */
export function listenerSupportedKinds(listener: IListener): { readonly kinds: IRouteGroupKind[]; readonly allValid: boolean } {
  const supported = protocolKinds(listener);
  const wanted = listener.allowedRoutes?.kinds ?? [];
  if (wanted.length === 0) return { kinds: supported, allValid: true };
  const kinds = supported.filter((kind) => wanted.some((w) => w.kind === kind.kind && (w.group ?? GATEWAY_API_GROUP) === kind.group));
  return { kinds, allValid: kinds.length === wanted.length };
}

export function listenerAllowsKind(listener: IListener, routeKind: RouteKind): boolean {
  return listenerSupportedKinds(listener).kinds.some((kind) => kind.kind === routeKind && kind.group === GATEWAY_API_GROUP);
}

interface LabelSelectorLike {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

/** Kubernetes label selector semantics (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements). */
export function labelSelectorMatches(selector: LabelSelectorLike, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case "In":
        if (!has || !values.includes(labels[expression.key] ?? "")) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[expression.key] ?? "")) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether a listener of a Gateway in `gatewayNamespace` admits routes from `routeNamespace` (default `Same`). */
export function listenerAllowsNamespace(listener: IListener, gatewayNamespace: string, routeNamespace: string, namespaces: readonly NamespaceLike[]): boolean {
  const from = listener.allowedRoutes?.namespaces?.from ?? "Same";
  if (from === "All") return true;
  if (from === "Same") return routeNamespace === gatewayNamespace;
  if (from === "Selector") {
    const selector = listener.allowedRoutes?.namespaces?.selector;
    if (!selector) return false;
    const namespace = namespaces.find((candidate) => nameOf(candidate) === routeNamespace);
    // The automatic `kubernetes.io/metadata.name` label is on every Namespace a real API server serves.
    const labels = { "kubernetes.io/metadata.name": routeNamespace, ...(namespace?.metadata?.labels ?? {}) };
    return labelSelectorMatches(selector, labels);
  }
  return false;
}

export type ParentReason = "Accepted" | "NotAllowedByListeners" | "NoMatchingListenerHostname" | "NoMatchingParent" | "UnsupportedValue";

export interface ListenerBinding {
  readonly listener: string;
  readonly accepted: boolean;
  readonly reason: ParentReason;
  readonly message: string;
  /** The hostnames the route serves on this listener (empty when rejected). */
  readonly hostnames: readonly string[];
}

export interface ParentRefResolution {
  /** Index in `spec.parentRefs`. */
  readonly index: number;
  /** The reference as written (status echoes it back unchanged). */
  readonly parentRef: IParentReference;
  readonly target: NormalizedRef;
  readonly parentKind: "Gateway" | "Service" | "Unsupported";
  /** The object the reference names exists. */
  readonly found: boolean;
  /** istiod writes a `status.parents` entry for it (an existing istio Gateway, or any Service parent). */
  readonly managed: boolean;
  readonly accepted: boolean;
  readonly reason: ParentReason;
  readonly message: string;
  /** Per listener considered (Gateway parents only), in listener order. */
  readonly listeners: readonly ListenerBinding[];
}

const reasonRank: Record<ParentReason, number> = { Accepted: 0, NotAllowedByListeners: 1, NoMatchingListenerHostname: 2, NoMatchingParent: 3, UnsupportedValue: 4 };

function bindListener(route: GatewayApiRoute, gateway: IGateway, listener: IListener, ref: ReturnType<typeof normalizeParentRef>, world: GatewayApiWorld): ListenerBinding {
  const routeNamespace = namespaceOf(route);
  const deny = (reason: ParentReason, message: string): ListenerBinding => ({ listener: listener.name, accepted: false, reason, message, hostnames: [] });
  if (ref.port !== undefined && ref.port !== listener.port) return deny("NoMatchingParent", `port ${ref.port} not found`);
  if (ref.sectionName !== undefined && ref.sectionName !== listener.name) return deny("NoMatchingParent", `sectionName "${ref.sectionName}" not found`);
  const hostnames = hostnameIntersection(listener.hostname, route.spec?.hostnames ?? []);
  const listenerHostname = listener.hostname ?? "*";
  if (hostnames.length === 0) return deny("NoMatchingListenerHostname", `no hostnames matched parent hostname "${listenerHostname}"`);
  if (!listenerAllowsNamespace(listener, namespaceOf(gateway), routeNamespace, world.namespaces)) {
    return deny("NotAllowedByListeners", `hostnames matched parent hostname "${listenerHostname}", but namespace "${routeNamespace}" is not allowed by the parent`);
  }
  if (!listenerAllowsKind(listener, route.kind)) return deny("NotAllowedByListeners", `kind ${GATEWAY_API_GROUP}/v1, Kind=${route.kind} is not allowed`);
  return { listener: listener.name, accepted: true, reason: "Accepted", message: "Route was valid", hostnames };
}

function resolveGatewayParent(route: GatewayApiRoute, index: number, parentRef: IParentReference, world: GatewayApiWorld): ParentRefResolution {
  const target = normalizeParentRef(parentRef, namespaceOf(route));
  const base = { index, parentRef, target: { group: target.group, kind: target.kind, namespace: target.namespace, name: target.name }, parentKind: "Gateway" as const };
  const gateway = world.gateways.find((candidate) => nameOf(candidate) === target.name && namespaceOf(candidate) === target.namespace);
  if (!gateway) {
    return { ...base, found: false, managed: false, accepted: false, reason: "NoMatchingParent", message: `parent gateway "${target.namespace}/${target.name}" not found`, listeners: [] };
  }
  const managed = gatewayIsIstio(gateway, world.gatewayClasses);
  const listeners = gateway.spec.listeners.map((listener) => bindListener(route, gateway, listener, target, world));
  const accepted = listeners.filter((binding) => binding.accepted);
  if (accepted.length > 0) {
    const message = accepted.length > 1 ? `Route was valid, bound to ${accepted.length} parents` : "Route was valid";
    return { ...base, found: true, managed, accepted: true, reason: "Accepted", message, listeners };
  }
  if (listeners.length === 0) return { ...base, found: true, managed, accepted: false, reason: "NoMatchingParent", message: "parent gateway has no listeners", listeners };
  // Like istiod: the reason of the closest miss (a listener that matched port and section but not the
  // namespace beats one that did not match at all), with every distinct message.
  const closest = [...listeners].sort((a, b) => reasonRank[a.reason] - reasonRank[b.reason])[0];
  const messages = [...new Set(listeners.map((binding) => binding.message))];
  const message = listeners.length > 1 ? `failed to bind to ${listeners.length} parents, errors: ${messages.join("; ")}` : messages[0] ?? "";
  return { ...base, found: true, managed, accepted: false, reason: closest?.reason ?? "NoMatchingParent", message, listeners };
}

function resolveServiceParent(route: GatewayApiRoute, index: number, parentRef: IParentReference, world: GatewayApiWorld): ParentRefResolution {
  const target = normalizeParentRef(parentRef, namespaceOf(route));
  const base = { index, parentRef, target: { group: target.group, kind: target.kind, namespace: target.namespace, name: target.name }, parentKind: "Service" as const, listeners: [] };
  const service = world.services.find((candidate) => nameOf(candidate) === target.name && namespaceOf(candidate) === target.namespace);
  if (!service) return { ...base, found: false, managed: true, accepted: false, reason: "NoMatchingParent", message: `parent service: "${target.name}" not found` };
  if (target.port !== undefined && !(service.spec?.ports ?? []).some((port) => port.port === target.port)) {
    return { ...base, found: true, managed: true, accepted: false, reason: "NoMatchingParent", message: `port ${target.port} not found` };
  }
  return { ...base, found: true, managed: true, accepted: true, reason: "Accepted", message: "Route was valid" };
}

/** Every `spec.parentRefs[i]` of a route, resolved. */
export function resolveParentRefs(route: GatewayApiRoute, world: GatewayApiWorld): ParentRefResolution[] {
  return (route.spec?.parentRefs ?? []).map((parentRef, index) => {
    const target = normalizeParentRef(parentRef, namespaceOf(route));
    if (target.group === GATEWAY_API_GROUP && target.kind === "Gateway") return resolveGatewayParent(route, index, parentRef, world);
    if (target.group === "" && target.kind === "Service") return resolveServiceParent(route, index, parentRef, world);
    return {
      index,
      parentRef,
      target: { group: target.group, kind: target.kind, namespace: target.namespace, name: target.name },
      parentKind: "Unsupported",
      found: false,
      managed: false,
      accepted: false,
      reason: "UnsupportedValue",
      message: `parentRef of group "${target.group}" kind "${target.kind}" is not supported`,
      listeners: [],
    };
  });
}

/**
 * Whether a ReferenceGrant in `to.namespace` lets objects of `from` refer to `to`
 * (https://gateway-api.sigs.k8s.io/api-types/referencegrant/). Same-namespace references need none.
 */
export function referenceGrantAllows(
  grants: readonly IReferenceGrant[],
  from: { readonly group: string; readonly kind: string; readonly namespace: string },
  to: NormalizedRef,
): boolean {
  if (from.namespace === to.namespace) return true;
  return grants.some(
    (grant) =>
      namespaceOf(grant) === to.namespace &&
      (grant.spec?.from ?? []).some((entry) => entry.group === from.group && entry.kind === from.kind && entry.namespace === from.namespace) &&
      (grant.spec?.to ?? []).some((entry) => entry.group === to.group && entry.kind === to.kind && (entry.name === undefined || entry.name === "" || entry.name === to.name)),
  );
}

export type BackendReason = "ResolvedRefs" | "RefNotPermitted" | "BackendNotFound" | "InvalidKind" | "InvalidDestination";

export interface BackendRefResolution {
  readonly ruleIndex: number;
  readonly backendIndex: number;
  readonly backendRef: BackendRefLike;
  readonly target: NormalizedRef & { readonly port?: number };
  readonly resolved: boolean;
  readonly reason: BackendReason;
  readonly message: string;
  /** The Service the reference names, when it exists. */
  readonly service?: ServiceLike;
  /** The Service exists but exposes no port `target.port` (the console's check; istiod routes it anyway and it fails at run time). */
  readonly portNotExposed: boolean;
  /** The host the backend is reached at (`name.namespace.svc.cluster.local` for a Service). */
  readonly host: string;
}

function resolveBackendRef(route: GatewayApiRoute, ruleIndex: number, backendIndex: number, backendRef: BackendRefLike, world: GatewayApiWorld): BackendRefResolution {
  const routeNamespace = namespaceOf(route);
  const target = normalizeBackendRef(backendRef, routeNamespace);
  const base = { ruleIndex, backendIndex, backendRef, target, portNotExposed: false };
  const fail = (reason: BackendReason, message: string, host = ""): BackendRefResolution => ({ ...base, resolved: false, reason, message, host });
  if (!referenceGrantAllows(world.referenceGrants, { group: GATEWAY_API_GROUP, kind: route.kind, namespace: routeNamespace }, target)) {
    return fail("RefNotPermitted", `backendRef ${target.name}/${target.namespace} not accessible to a ${route.kind} in namespace "${routeNamespace}" (missing a ReferenceGrant?)`);
  }
  if (target.group === "" && target.kind === "Service") {
    if (target.name.includes(".")) return fail("InvalidDestination", "service name invalid; the name of the Service must be used, not the hostname.");
    const host = serviceFqdn(target.name, target.namespace);
    if (target.port === undefined) return fail("InvalidDestination", "port is required in backendRef", host);
    const service = world.services.find((candidate) => nameOf(candidate) === target.name && namespaceOf(candidate) === target.namespace);
    if (!service) return fail("BackendNotFound", `backend(${host}) not found`, host);
    const portNotExposed = !(service.spec?.ports ?? []).some((port) => port.port === target.port);
    return { ...base, resolved: true, reason: "ResolvedRefs", message: "All references resolved", service, portNotExposed, host };
  }
  if (target.group === "networking.istio.io" && target.kind === "Hostname") {
    if (backendRef.namespace !== undefined) return fail("InvalidDestination", "namespace may not be set with Hostname type");
    if (target.port === undefined) return fail("InvalidDestination", "port is required in backendRef", target.name);
    const known = (world.serviceEntries ?? []).some((entry) => (entry.spec?.hosts ?? []).includes(target.name));
    if (!known) return fail("BackendNotFound", `backend(${target.name}) not found`, target.name);
    return { ...base, resolved: true, reason: "ResolvedRefs", message: "All references resolved", portNotExposed: false, host: target.name };
  }
  return fail("InvalidKind", `referencing unsupported backendRef: group "${backendRef.group ?? ""}" kind "${backendRef.kind ?? ""}"`);
}

/** Every `spec.rules[r].backendRefs[b]` of a route, resolved, in rule then backend order. */
export function resolveBackendRefs(route: GatewayApiRoute, world: GatewayApiWorld): BackendRefResolution[] {
  const out: BackendRefResolution[] = [];
  (route.spec?.rules ?? []).forEach((rule, ruleIndex) => {
    (rule.backendRefs ?? []).forEach((backendRef, backendIndex) => out.push(resolveBackendRef(route, ruleIndex, backendIndex, backendRef, world)));
  });
  return out;
}
