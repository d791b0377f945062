import { USE_WAYPOINT_LABEL } from "@/lib/istio/ambient";
import { toFqdn } from "@/lib/istio/host";
import { isMeshBound } from "@/lib/istio/virtualService";
import type { ObjectRef } from "@/lib/validation/finding";
import { dataPlaneOf, isAmbientService, podSubjects, serviceWaypoint, servicesOf, waypointServingPod, type PodSubject } from "../ambient";
import { isEmptySelector, selectorMatches, type Labels } from "../labels";
import { message, mention } from "../mentions";
import type { MeshObject, ServiceObject } from "../objects";
import { FindingSink, type Rule } from "../rule";
import type { MeshSnapshot } from "../snapshot";

/**
 * In ambient mode ztunnel enforces L4 only; HTTP attributes of an AuthorizationPolicy, JWT
 * validation (RequestAuthentication), Wasm filters, HTTP routing (VirtualService) and HTTP traffic
 * policy (DestinationRule connection pools for HTTP, outlier detection, hashing on headers or cookies)
 * take effect only at a waypoint. A waypoint in turn takes policies attached with `targetRefs` (the
 * waypoint Gateway, or a Service it serves), not a label `selector`.
 * https://istio.io/latest/docs/ambient/usage/l4-policy/ and
 * https://istio.io/latest/docs/ambient/usage/l7-features/
 * Pods with a sidecar enforce everything themselves and are left out; the waypoint's own pods are
 * IST0166's (gateway-api-selectors).
 */

const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

/** `request.*` condition keys are HTTP or JWT attributes; source and destination keys are L4. */
const L7_CONDITION_PREFIXES = ["request.", "experimental.envoy.filters."];

interface L7Use {
  readonly path: string;
  readonly what: string;
}

type AuthorizationPolicyObject = MeshObject<"AuthorizationPolicy">;

/** The first field of each kind an AuthorizationPolicy uses that only an L7 proxy can check. */
export function authorizationL7Uses(policy: AuthorizationPolicyObject): L7Use[] {
  const uses: L7Use[] = [];
  policy.spec.rules.forEach((rule, i) => {
    rule.from.forEach((from, j) => {
      for (const field of ["requestPrincipals", "notRequestPrincipals"] as const) {
        if (from.source[field].length > 0) uses.push({ path: `spec.rules[${i}].from[${j}].source.${field}`, what: `request principals (${field})` });
      }
    });
    rule.to.forEach((to, j) => {
      for (const field of ["methods", "notMethods", "paths", "notPaths", "hosts", "notHosts"] as const) {
        if (to.operation[field].length > 0) uses.push({ path: `spec.rules[${i}].to[${j}].operation.${field}`, what: `HTTP ${field.replace(/^not/, "").toLowerCase()} (${field})` });
      }
    });
    rule.when.forEach((condition, j) => {
      if (L7_CONDITION_PREFIXES.some((prefix) => condition.key.startsWith(prefix))) uses.push({ path: `spec.rules[${i}].when[${j}].key`, what: `the condition ${condition.key}` });
    });
  });
  return uses;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** HTTP-only parts of a DestinationRule traffic policy (as written; unknown fields pass through the schema). */
function trafficPolicyL7Uses(policy: unknown, path: string): L7Use[] {
  if (!isRecord(policy)) return [];
  const uses: L7Use[] = [];
  const pool = policy.connectionPool;
  if (isRecord(pool) && pool.http !== undefined && pool.http !== null) uses.push({ path: `${path}.connectionPool.http`, what: "HTTP connection pool settings" });
  if (policy.outlierDetection !== undefined && policy.outlierDetection !== null) uses.push({ path: `${path}.outlierDetection`, what: "outlier detection" });
  const loadBalancer = policy.loadBalancer;
  const hash = isRecord(loadBalancer) ? loadBalancer.consistentHash : undefined;
  if (isRecord(hash)) {
    for (const key of ["httpHeaderName", "httpCookie", "httpQueryParameterName"]) {
      if (hash[key] !== undefined && hash[key] !== null) uses.push({ path: `${path}.loadBalancer.consistentHash.${key}`, what: `hashing on ${key}` });
    }
  }
  const ports = policy.portLevelSettings;
  if (Array.isArray(ports)) ports.forEach((port, k) => uses.push(...trafficPolicyL7Uses(port, `${path}.portLevelSettings[${k}]`)));
  return uses;
}

export function destinationRuleL7Uses(rule: MeshObject<"DestinationRule">): L7Use[] {
  const uses = trafficPolicyL7Uses(rule.spec.trafficPolicy, "spec.trafficPolicy");
  rule.spec.subsets.forEach((subset, i) => uses.push(...trafficPolicyL7Uses(subset.trafficPolicy, `spec.subsets[${i}].trafficPolicy`)));
  return uses;
}

/** Ambient pods (not waypoints) a selector-attached policy reaches: its namespace's, or every namespace's from the root. */
function ambientPodsSelected(snapshot: MeshSnapshot, namespace: string, selector: Labels | undefined): PodSubject[] {
  const root = snapshot.settings.rootNamespace;
  return podSubjects(snapshot).filter(
    (subject) =>
      (namespace === root || subject.namespace === namespace) &&
      (!selector || isEmptySelector(selector) || selectorMatches(selector, subject.labels)) &&
      subject.labels[GATEWAY_NAME_LABEL] === undefined &&
      dataPlaneOf(snapshot, subject) === "ambient",
  );
}

function serviceRef(service: ServiceObject): ObjectRef {
  return service.ref;
}

interface SelectingPolicy {
  readonly object: MeshObject<"AuthorizationPolicy"> | MeshObject<"RequestAuthentication"> | MeshObject<"WasmPlugin">;
  readonly kind: string;
  /** Empty: nothing in the policy needs L7 (only targetRefs are then checked). */
  readonly uses: readonly L7Use[];
  /** What the policy needs L7 for, in words, when the whole kind is L7. */
  readonly wholeKind?: string;
}

function checkTargetRefs(snapshot: MeshSnapshot, sink: FindingSink, policy: SelectingPolicy): void {
  const spec = policy.object.spec;
  const refs = [...(spec.targetRef ? [{ ref: spec.targetRef, path: "spec.targetRef" }] : []), ...spec.targetRefs.map((ref, k) => ({ ref, path: `spec.targetRefs[${k}]` }))];
  for (const { ref, path } of refs) {
    if (ref.kind !== "Service" || (ref.group !== undefined && ref.group !== "" && ref.group !== "core") || !ref.name) continue;
    const service = snapshot.find("Service", policy.object.ref.namespace, ref.name);
    if (!service || !isAmbientService(snapshot, service) || serviceWaypoint(snapshot, service)) continue;
    sink.report(
      "MC1017",
      policy.object,
      path,
      message`${policy.kind} is attached to ${mention("Service", [serviceRef(service)])}, which no waypoint serves (no ${USE_WAYPOINT_LABEL} naming a waypoint for services); a policy attached to a Service is enforced only by its waypoint, so this one is enforced nowhere.`,
    );
  }
}

function checkSelector(snapshot: MeshSnapshot, sink: FindingSink, policy: SelectingPolicy): void {
  const spec = policy.object.spec;
  if (spec.targetRef !== undefined || spec.targetRefs.length > 0) return;
  if (policy.uses.length === 0 && !policy.wholeKind) return;
  const selector = spec.selector?.matchLabels;
  const root = snapshot.settings.rootNamespace;
  // A mesh-wide policy without a selector is meant for every proxy; flagging it would flag every ambient pod.
  if (policy.object.ref.namespace === root && isEmptySelector(selector)) return;
  const pods = ambientPodsSelected(snapshot, policy.object.ref.namespace, selector);
  if (pods.length === 0) return;
  const what = policy.wholeKind ?? [...new Set(policy.uses.map((use) => use.what))].join(", ");
  const served = pods.map((pod) => ({ pod, waypoint: waypointServingPod(snapshot, pod) }));
  const without = served.filter((entry) => !entry.waypoint).map((entry) => entry.pod);
  const withWaypoint = served.filter((entry) => entry.waypoint);
  const selectorPath = selector && !isEmptySelector(selector) ? "spec.selector" : "spec";
  if (without.length > 0) {
    sink.report(
      "MC1017",
      policy.object,
      policy.uses[0]?.path ?? selectorPath,
      message`${policy.kind} applies to ambient ${mention("workload", without.map((pod) => pod.ref))}, which no waypoint serves: ztunnel enforces L4 only and cannot apply ${what}. Enrol them with a waypoint (${USE_WAYPOINT_LABEL}) and attach the policy to it with targetRefs.`,
    );
  }
  if (withWaypoint.length > 0) {
    const waypoints = withWaypoint.map((entry) => entry.waypoint!.ref);
    const services = withWaypoint.flatMap((entry) => servicesOf(snapshot, entry.pod).filter((service) => serviceWaypoint(snapshot, service)).map(serviceRef));
    const selected = mention("workload", withWaypoint.map((entry) => entry.pod.ref));
    const passes = mention("waypoint", waypoints.map((ref) => ({ ...ref, kind: "K8sGateway" })));
    sink.report(
      "MC1018",
      policy.object,
      selectorPath,
      services.length > 0
        ? message`${policy.kind} selects ambient ${selected} by label, but their traffic passes ${passes}, which ignores policies attached by selector, so ${what} is not enforced there. Attach it with targetRefs to ${mention("Service", services)} or to the waypoint Gateway instead.`
        : message`${policy.kind} selects ambient ${selected} by label, but their traffic passes ${passes}, which ignores policies attached by selector, so ${what} is not enforced there. Attach it with targetRefs to the waypoint Gateway instead.`,
    );
  }
}

/** Services (in the mesh, ambient, with no waypoint) a host of a VirtualService or DestinationRule in `namespace` names. */
function ambientServicesWithoutWaypoint(snapshot: MeshSnapshot, host: string, namespace: string): ServiceObject[] {
  if (host.includes("*")) return [];
  return snapshot.visibleServices(toFqdn(host, namespace), namespace).filter((service) => isAmbientService(snapshot, service) && !serviceWaypoint(snapshot, service));
}

export const ambientL7PoliciesRule: Rule = {
  id: "ambient-l7-policies",
  description: "L7 policies and routing reach ambient workloads only through a waypoint, attached by targetRefs.",
  reads: ["Namespace", "Pod", "Deployment", "Service", "KubernetesGateway", "AuthorizationPolicy", "RequestAuthentication", "WasmPlugin", "VirtualService", "DestinationRule", "ConfigMap"],
  codes: ["MC1017", "MC1018"],
  check(snapshot) {
    const sink = new FindingSink();
    const policies: SelectingPolicy[] = [
      ...snapshot.list("AuthorizationPolicy").map((object) => ({ object, kind: "This AuthorizationPolicy", uses: authorizationL7Uses(object) })),
      ...snapshot.list("RequestAuthentication").map((object) => ({ object, kind: "This RequestAuthentication", uses: [], wholeKind: "JWT validation" })),
      ...snapshot.list("WasmPlugin").map((object) => ({ object, kind: "This WasmPlugin", uses: [], wholeKind: "a Wasm filter" })),
    ];
    for (const policy of policies) {
      checkTargetRefs(snapshot, sink, policy);
      checkSelector(snapshot, sink, policy);
    }
    for (const virtualService of snapshot.list("VirtualService")) {
      const spec = virtualService.spec;
      if (!isMeshBound(spec.gateways) || (spec.http.length === 0 && spec.tls.length === 0)) continue;
      const routing = spec.http.length > 0 ? "HTTP routing" : "TLS routing by SNI";
      spec.hosts.forEach((host, i) => {
        const services = ambientServicesWithoutWaypoint(snapshot, host, virtualService.ref.namespace);
        if (services.length === 0) return;
        sink.report(
          "MC1017",
          virtualService,
          `spec.hosts[${i}]`,
          message`Host "${host}" is ambient ${mention("Service", services.map(serviceRef))}, which no waypoint serves: ambient callers reach it through ztunnel, which does no ${routing}, so only callers with a sidecar follow these routes. Enrol the Service with a waypoint (${USE_WAYPOINT_LABEL}).`,
        );
      });
    }
    for (const rule of snapshot.list("DestinationRule")) {
      const uses = destinationRuleL7Uses(rule);
      if (uses.length === 0) continue;
      const services = ambientServicesWithoutWaypoint(snapshot, rule.spec.host, rule.ref.namespace);
      if (services.length === 0) continue;
      const what = [...new Set(uses.map((use) => use.what))].join(", ");
      sink.report(
        "MC1017",
        rule,
        uses[0]!.path,
        message`Host "${rule.spec.host}" is ambient ${mention("Service", services.map(serviceRef))}, which no waypoint serves: ztunnel does not apply ${what}, so only callers with a sidecar do. Enrol the Service with a waypoint (${USE_WAYPOINT_LABEL}).`,
      );
    }
    return sink.findings;
  },
};
