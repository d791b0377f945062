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
import { hostAppliesToService, namesService } from "@/lib/istio/host";
import { isMeshBound } from "@/lib/istio/virtualService";
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
function parsed<T>(schema: z.ZodType<T>, items: readonly unknown[] | undefined): T[] {
  return (items ?? []).flatMap((item) => {
    const result = schema.safeParse(item);
    return result.success ? [result.data] : [];
  });
}

type TrafficPolicyFields = z.infer<typeof trafficPolicyFields>;
const breaks = (policy: TrafficPolicyFields) => policy !== undefined && (policy.connectionPool !== undefined || policy.outlierDetection !== undefined);

interface Indexed {
  virtualServices: z.infer<typeof virtualServiceFields>[];
  destinationRules: z.infer<typeof destinationRuleFields>[];
  httpRoutes: z.infer<typeof httpRouteFields>[];
  findings: readonly Finding[];
}

/** The badges of one service: pure over the parsed objects. */
export function serviceBadges(objects: Indexed, namespace: string, service: string): ConfigBadge[] {
  const ref = { namespace, service };
  const found = new Map<ConfigBadgeKind, ConfigObjectRef[]>();
  const add = (badge: ConfigBadgeKind, object: ConfigObjectRef) => {
    const list = found.get(badge) ?? [];
    if (!list.some((other) => other.kind === object.kind && other.namespace === object.namespace && other.name === object.name)) list.push(object);
    found.set(badge, list);
  };
  for (const vs of objects.virtualServices) {
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
  for (const dr of objects.destinationRules) {
    const drNamespace = dr.metadata.namespace ?? "";
    if (!hostAppliesToService(dr.spec.host, drNamespace, ref)) continue;
    if (breaks(dr.spec.trafficPolicy) || (dr.spec.subsets ?? []).some((subset) => breaks(subset.trafficPolicy))) {
      add("circuitBreaker", { kind: "DestinationRule", namespace: drNamespace, name: dr.metadata.name });
    }
  }
  for (const route of objects.httpRoutes) {
    const routeNamespace = route.metadata.namespace ?? "";
    const backends = (route.spec.rules ?? []).flatMap((rule) => rule.backendRefs ?? []);
    // A backendRef without kind or group names a core Service in the route's own namespace unless it says otherwise.
    const targets = backends.some((backend) => (backend.kind ?? "Service") === "Service" && (backend.group ?? "") === "" && backend.name === service && (backend.namespace ?? routeNamespace) === namespace);
    if (targets) add("httpRoute", { kind: "HTTPRoute", namespace: routeNamespace, name: route.metadata.name });
  }
  const badges: ConfigBadge[] = [...found].map(([badge, list]) => ({ badge, objects: list }));
  // Findings on the objects that act on the service: what is wrong with the config that routes it.
  const configObjects = badges.flatMap((badge) => badge.objects);
  const onConfig = objects.findings.filter((finding) => configObjects.some((object) => object.kind === finding.object.kind && object.namespace === finding.object.namespace && object.name === finding.object.name));
  const errors = onConfig.filter((finding) => finding.severity === "error").length;
  const warnings = onConfig.filter((finding) => finding.severity === "warning").length;
  if (errors + warnings > 0) {
    const withFindings = configObjects.filter((object, index) => configObjects.indexOf(object) === index && onConfig.some((finding) => finding.object.kind === object.kind && finding.object.namespace === object.namespace && finding.object.name === object.name));
    badges.push({ badge: "findings", objects: withFindings, errors, warnings });
  }
  return badges;
}

function nodeBadges(objects: Indexed, node: GraphNode): ConfigBadge[] {
  const badges = node.kind === "service" ? serviceBadges(objects, node.namespace, node.name) : [];
  if (node.hasSidecar === false) badges.push({ badge: "missingSidecar", objects: [] });
  return badges;
}

export function appendConfigBadges(map: TrafficMap, sources: ConfigBadgeSources): TrafficMap {
  const objects: Indexed = {
    virtualServices: parsed(virtualServiceFields, sources.virtualServices),
    destinationRules: parsed(destinationRuleFields, sources.destinationRules),
    httpRoutes: parsed(httpRouteFields, sources.httpRoutes),
    findings: sources.findings ?? [],
  };
  const nodes = new Map<string, GraphNode>();
  for (const [id, node] of map.nodes) {
    const badges = nodeBadges(objects, node);
    nodes.set(id, badges.length > 0 ? { ...node, config: badges } : node);
  }
  return { ...map, nodes };
}
