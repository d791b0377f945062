/**
 * Config badges on graph nodes: which routing, resilience and validation facts of the mesh's
 * configuration act on a node's traffic, each naming the objects behind it so the page can link
 * them. Everything comes from objects the console already watches; no Prometheus query.
 *
 * Service nodes carry the routing badges, because Istio applies a VirtualService or DestinationRule
 * to the service's host (https://istio.io/latest/docs/reference/config/networking/virtual-service/),
 * and an HTTPRoute to the Services its backendRefs name
 * (https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref). Any node whose pods run without
 * the proxy gets the missing-sidecar badge.
 */
import { z } from "zod";
import type { ConfigBadge, ConfigBadgeKind, ConfigObjectRef, GraphNode } from "@/lib/graph/model";
import { hostAppliesToService, indexByServiceHost, namesService, type ServiceRef } from "@/lib/istio/host";
import { isMeshBound } from "@/lib/istio/virtualService";
import { onceParsed } from "@/lib/onceParsed";
import type { Finding } from "@/lib/validation/finding";
import type { TrafficMap } from "../trafficMap";

export interface ConfigBadgeSources {
  virtualServices: readonly unknown[];
  destinationRules: readonly unknown[];
  /** Gateway API HTTPRoutes, when the console watches them. */
  httpRoutes?: readonly unknown[];
  /** Validation findings of the graph's namespaces, for the findings badge. */
  findings?: readonly Finding[];
}

const metadata = z.looseObject({ name: z.string(), namespace: z.string().optional() });
const present = z.unknown().refine((value) => value !== undefined && value !== null);

const routeDestinations = z.array(z.looseObject({ destination: z.looseObject({ host: z.string() }) })).optional();
const virtualServiceFields = z.looseObject({
  metadata,
  spec: z.looseObject({
    hosts: z.array(z.string()).optional(),
    gateways: z.array(z.string()).optional(),
    http: z
      .array(z.looseObject({ route: routeDestinations, fault: present.optional(), mirror: present.optional(), mirrors: z.array(z.unknown()).optional(), timeout: z.string().optional(), retries: present.optional() }))
      .optional(),
    tcp: z.array(z.looseObject({ route: routeDestinations })).optional(),
  }),
});

const trafficPolicyFields = z.looseObject({ connectionPool: present.optional(), outlierDetection: present.optional() }).optional();
const destinationRuleFields = z.looseObject({
  metadata,
  spec: z.looseObject({ host: z.string(), trafficPolicy: trafficPolicyFields, subsets: z.array(z.looseObject({ trafficPolicy: trafficPolicyFields })).optional() }),
});

const httpRouteFields = z.looseObject({
  metadata,
  spec: z.looseObject({
    rules: z.array(z.looseObject({ backendRefs: z.array(z.looseObject({ name: z.string(), namespace: z.string().optional(), kind: z.string().optional(), group: z.string().optional() })).optional() })).optional(),
  }),
});

/** Objects that parse; one malformed object must not hide the others' badges. */
function parsed<T>(parse: (item: unknown) => z.ZodSafeParseResult<T>, items: readonly unknown[] | undefined): T[] {
  return (items ?? []).flatMap((item) => {
    const result = parse(item);
    return result.success ? [result.data] : [];
  });
}

const parseVirtualServiceFields = onceParsed(virtualServiceFields);
const parseDestinationRuleFields = onceParsed(destinationRuleFields);
const parseHttpRouteFields = onceParsed(httpRouteFields);

type TrafficPolicyFields = z.infer<typeof trafficPolicyFields>;
const breaks = (policy: TrafficPolicyFields) => policy !== undefined && (policy.connectionPool !== undefined || policy.outlierDetection !== undefined);

type ParsedVirtualService = z.infer<typeof virtualServiceFields>;
type ParsedDestinationRule = z.infer<typeof destinationRuleFields>;
type ParsedHttpRoute = z.infer<typeof httpRouteFields>;

/** The parsed objects, each kind indexed by the services it can touch, so a graph of a thousand services reads each object a few times rather than a thousand. */
interface Indexed {
  virtualServicesFor: (service: ServiceRef) => ParsedVirtualService[];
  destinationRulesFor: (service: ServiceRef) => ParsedDestinationRule[];
  httpRoutesFor: (service: ServiceRef) => ParsedHttpRoute[];
  findingsOn: (object: ConfigObjectRef) => readonly Finding[];
}

const objectKey = (object: { kind: string; namespace?: string; name: string }) => `${object.kind}/${object.namespace ?? ""}/${object.name}`;
const serviceKey = (service: ServiceRef) => `${service.namespace}/${service.service}`;

/** Backends named by an HTTPRoute as core Services: without kind or group, a Service in the route's own namespace unless it says otherwise. */
function httpRouteServices(route: ParsedHttpRoute): ServiceRef[] {
  const routeNamespace = route.metadata.namespace ?? "";
  return (route.spec.rules ?? [])
    .flatMap((rule) => rule.backendRefs ?? [])
    .filter((backend) => (backend.kind ?? "Service") === "Service" && (backend.group ?? "") === "")
    .map((backend) => ({ namespace: backend.namespace ?? routeNamespace, service: backend.name }));
}

export function indexConfigBadgeSources(sources: ConfigBadgeSources): Indexed {
  const routesByService = new Map<string, ParsedHttpRoute[]>();
  for (const route of parsed(parseHttpRouteFields, sources.httpRoutes)) {
    for (const key of new Set(httpRouteServices(route).map(serviceKey))) {
      const routes = routesByService.get(key);
      if (routes) routes.push(route);
      else routesByService.set(key, [route]);
    }
  }
  const findingsByObject = new Map<string, Finding[]>();
  for (const finding of sources.findings ?? []) {
    const key = objectKey(finding.object);
    const findings = findingsByObject.get(key);
    if (findings) findings.push(finding);
    else findingsByObject.set(key, [finding]);
  }
  return {
    // A VirtualService touches the services its hosts name and those its routes send to; objects without a namespace are read in "" as below.
    virtualServicesFor: indexByServiceHost(parsed(parseVirtualServiceFields, sources.virtualServices), (vs) => ({
      namespace: vs.metadata.namespace ?? "",
      hosts: [...(vs.spec.hosts ?? []), ...[...(vs.spec.http ?? []), ...(vs.spec.tcp ?? [])].flatMap((route) => (route.route ?? []).map((destination) => destination.destination.host))],
    })),
    destinationRulesFor: indexByServiceHost(parsed(parseDestinationRuleFields, sources.destinationRules), (dr) => ({ namespace: dr.metadata.namespace ?? "", hosts: [dr.spec.host] })),
    httpRoutesFor: (service) => routesByService.get(serviceKey(service)) ?? [],
    findingsOn: (object) => findingsByObject.get(objectKey(object)) ?? [],
  };
}

/** The badges of one service: pure over the indexed objects. */
export function serviceBadges(objects: Indexed, namespace: string, service: string): ConfigBadge[] {
  const ref = { namespace, service };
  const found = new Map<ConfigBadgeKind, ConfigObjectRef[]>();
  const add = (badge: ConfigBadgeKind, object: ConfigObjectRef) => {
    const list = found.get(badge) ?? [];
    if (!list.some((other) => other.kind === object.kind && other.namespace === object.namespace && other.name === object.name)) list.push(object);
    found.set(badge, list);
  };
  for (const vs of objects.virtualServicesFor(ref)) {
    const vsNamespace = vs.metadata.namespace ?? "";
    // A mesh-bound VirtualService routes the traffic sent to its hosts; one bound to a gateway only
    // the gateway's, so there it counts for the services its routes send to, not for every service
    // its hosts (often "*") cover.
    const routesToService = [...(vs.spec.http ?? []), ...(vs.spec.tcp ?? [])].some((route) => (route.route ?? []).some((destination) => namesService(destination.destination.host, vsNamespace, ref)));
    const hostsApply = isMeshBound(vs.spec.gateways) && (vs.spec.hosts ?? []).some((host) => hostAppliesToService(host, vsNamespace, ref));
    if (!hostsApply && !routesToService) continue;
    const object = { kind: "VirtualService", namespace: vsNamespace, name: vs.metadata.name };
    add("virtualService", object);
    for (const route of vs.spec.http ?? []) {
      if (route.fault !== undefined) add("faultInjection", object);
      if (route.mirror !== undefined || (route.mirrors ?? []).length > 0) add("mirroring", object);
      if (route.timeout !== undefined || route.retries !== undefined) add("timeoutsRetries", object);
    }
  }
  for (const dr of objects.destinationRulesFor(ref)) {
    const drNamespace = dr.metadata.namespace ?? "";
    if (!hostAppliesToService(dr.spec.host, drNamespace, ref)) continue;
    if (breaks(dr.spec.trafficPolicy) || (dr.spec.subsets ?? []).some((subset) => breaks(subset.trafficPolicy))) {
      add("circuitBreaker", { kind: "DestinationRule", namespace: drNamespace, name: dr.metadata.name });
    }
  }
  for (const route of objects.httpRoutesFor(ref)) add("httpRoute", { kind: "HTTPRoute", namespace: route.metadata.namespace ?? "", name: route.metadata.name });
  const badges: ConfigBadge[] = [...found].map(([badge, list]) => ({ badge, objects: list }));
  // Findings on the objects that act on the service: what is wrong with the config that routes it.
  const configObjects = [...new Map(badges.flatMap((badge) => badge.objects).map((object) => [objectKey(object), object])).values()];
  const withFindings = configObjects.filter((object) => objects.findingsOn(object).length > 0);
  const onConfig = withFindings.flatMap((object) => objects.findingsOn(object));
  const errors = onConfig.filter((finding) => finding.severity === "error").length;
  const warnings = onConfig.filter((finding) => finding.severity === "warning").length;
  if (errors + warnings > 0) badges.push({ badge: "findings", objects: withFindings, errors, warnings });
  return badges;
}

function nodeBadges(objects: Indexed, node: GraphNode): ConfigBadge[] {
  const badges = node.kind === "service" ? serviceBadges(objects, node.namespace, node.name) : [];
  if (node.hasSidecar === false) badges.push({ badge: "missingSidecar", objects: [] });
  return badges;
}

export function appendConfigBadges(map: TrafficMap, sources: ConfigBadgeSources): TrafficMap {
  const objects = indexConfigBadgeSources(sources);
  const nodes = new Map<string, GraphNode>();
  for (const [id, node] of map.nodes) {
    const badges = nodeBadges(objects, node);
    nodes.set(id, badges.length > 0 ? { ...node, config: badges } : node);
  }
  return { ...map, nodes };
}
