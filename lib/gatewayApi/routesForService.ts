/**
 * Which Gateway API routes apply to a service (or to the services of a workload), for the detail
 * pages:
 * - GAMMA routes: an HTTPRoute/GRPCRoute whose parentRef is the Service itself (group "", kind
 *   Service) routes the mesh's traffic for it (https://gateway-api.sigs.k8s.io/mesh/).
 * - Routes whose backendRefs name the Service, or one of its version Services: Istio's canary
 *   convention gives each version a Service (`catalog-v2` selecting `app=catalog,version=v2`) next
 *   to the Service that selects every version (`catalog` selecting `app=catalog`). A Service is a
 *   version Service of another in the same namespace when its selector holds all of the other's
 *   labels and more.
 * - Routes attached to a Gateway that send to it are among the above; their Gateways are listed
 *   too, as what receives the traffic.
 * Pure: the caller reads the objects.
 */
import { z } from "zod";
import { describeParentRef, reportedStatusOf, type ReportedCondition } from "./reportedStatus";

export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
}

const refSchema = z.object({ group: z.string().nullish(), kind: z.string().nullish(), namespace: z.string().nullish(), name: z.string(), port: z.number().nullish(), sectionName: z.string().nullish() });
const backendSchema = refSchema.extend({ weight: z.number().nullish() });
const routeSchema = z.object({
  kind: z.string(),
  metadata: z.object({ namespace: z.string().default(""), name: z.string() }).passthrough(),
  spec: z.object({ parentRefs: z.array(refSchema).nullish(), rules: z.array(z.object({ backendRefs: z.array(backendSchema).nullish() }).passthrough()).nullish() }).passthrough().nullish(),
  status: z.unknown().optional(),
});

export interface RouteBackendWeight {
  /** The Service the backendRef names (this service or one of its version Services). */
  readonly service: string;
  readonly weight: number;
  /** Share of its rule, 0–100, one decimal. */
  readonly percent: number;
  readonly rule: number;
}

export interface AppliedRoute {
  /** The console's kind key: HTTPRoute, GRPCRoute, TLSRoute, TCPRoute or K8sGateway. */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly reasons: string[];
  readonly parents: string[];
  /** Configured weights of the backends that belong to this service. */
  readonly weights: RouteBackendWeight[];
  readonly reported: { readonly state: "ok" | "problem" | "pending"; readonly summary: string; readonly failing: ReportedCondition[] };
}

const ROUTE_KINDS = new Set(["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"]);

/** Services in `services` that are version Services of `parent`: same namespace, selector a strict superset of the parent's. */
export function versionServicesOf(parent: ServiceRef, services: readonly ServiceRef[]): ServiceRef[] {
  const parentLabels = Object.entries(parent.selector);
  if (parentLabels.length === 0) return [];
  return services.filter(
    (candidate) =>
      candidate.namespace === parent.namespace &&
      candidate.name !== parent.name &&
      Object.keys(candidate.selector).length > parentLabels.length &&
      parentLabels.every(([key, value]) => candidate.selector[key] === value),
  );
}

const isServiceRef = (ref: z.infer<typeof refSchema>) => (ref.kind ?? "Service") === "Service" && !ref.group;

/**
 * The routes (and the Gateways they attach to) that apply to `targets`: the service of a service
 * page, or the services selecting a workload. `services` are every Service of the targets'
 * namespace (to find version Services); `objects` are the Gateway API objects the person may read,
 * each with its API kind (`Gateway`, `HTTPRoute`, …).
 */
export function routesForServices(targets: readonly ServiceRef[], services: readonly ServiceRef[], objects: readonly unknown[]): AppliedRoute[] {
  const direct = new Set(targets.map((target) => `${target.namespace}/${target.name}`));
  const versionOf = new Map<string, string>();
  for (const target of targets) for (const version of versionServicesOf(target, services)) if (!direct.has(`${version.namespace}/${version.name}`)) versionOf.set(`${version.namespace}/${version.name}`, target.name);
  const applied: AppliedRoute[] = [];
  const gateways = new Map<string, string[]>();

  for (const raw of objects) {
    const parsed = routeSchema.safeParse(raw);
    if (!parsed.success || !ROUTE_KINDS.has(parsed.data.kind)) continue;
    const route = parsed.data;
    const namespace = route.metadata.namespace;
    const reasons: string[] = [];
    for (const parent of route.spec?.parentRefs ?? []) {
      const key = `${parent.namespace ?? namespace}/${parent.name}`;
      if (isServiceRef(parent) && direct.has(key)) reasons.push(`routes mesh traffic for Service ${parent.name}${parent.port ? ` port ${parent.port}` : ""} (GAMMA)`);
    }
    const weights: RouteBackendWeight[] = [];
    const sendsTo = new Map<string, string>();
    (route.spec?.rules ?? []).forEach((rule, ruleIndex) => {
      const backends = rule.backendRefs ?? [];
      const total = backends.reduce((sum, backend) => sum + (backend.weight ?? 1), 0);
      for (const backend of backends) {
        if (!isServiceRef(backend)) continue;
        const key = `${backend.namespace ?? namespace}/${backend.name}`;
        if (!direct.has(key) && !versionOf.has(key)) continue;
        const weight = backend.weight ?? 1;
        sendsTo.set(backend.name, key);
        weights.push({ service: backend.name, weight, percent: total > 0 ? Math.round((weight / total) * 1000) / 10 : 0, rule: ruleIndex + 1 });
      }
    });
    for (const [service, key] of sendsTo) {
      const parentService = versionOf.get(key);
      reasons.push(parentService ? `sends traffic to version Service ${service} of ${parentService}` : `sends traffic to Service ${service}`);
    }
    if (reasons.length === 0) continue;
    const apiKind = route.kind;
    const reported = reportedStatusOf(apiKind, raw);
    applied.push({
      kind: apiKind,
      namespace,
      name: route.metadata.name,
      reasons,
      parents: (route.spec?.parentRefs ?? []).map((ref) => describeParentRef(ref, namespace)),
      weights,
      reported: { state: reported.state, summary: reported.summary, failing: reported.groups.flatMap((group) => group.failing) },
    });
    for (const parent of route.spec?.parentRefs ?? []) {
      if ((parent.kind ?? "Gateway") !== "Gateway" || (parent.group ?? "gateway.networking.k8s.io") !== "gateway.networking.k8s.io") continue;
      const key = `${parent.namespace ?? namespace}/${parent.name}`;
      gateways.set(key, [...(gateways.get(key) ?? []), `${apiKind} ${route.metadata.name}`]);
    }
  }

  for (const raw of objects) {
    const parsed = z.object({ kind: z.literal("Gateway"), apiVersion: z.string().startsWith("gateway.networking.k8s.io/"), metadata: z.object({ namespace: z.string().default(""), name: z.string() }).passthrough() }).safeParse(raw);
    if (!parsed.success) continue;
    const via = gateways.get(`${parsed.data.metadata.namespace}/${parsed.data.metadata.name}`);
    if (!via) continue;
    const reported = reportedStatusOf("Gateway", raw);
    applied.push({
      kind: "K8sGateway",
      namespace: parsed.data.metadata.namespace,
      name: parsed.data.metadata.name,
      reasons: [`receives traffic for it through ${via.join(", ")}`],
      parents: [],
      weights: [],
      reported: { state: reported.state, summary: reported.summary, failing: reported.groups.flatMap((group) => group.failing) },
    });
  }
  return applied.sort((a, b) => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
