/**
 * The service's DestinationRule as the wizards need it: the version subsets a VirtualService may
 * route to, and the circuit breaker (connection pool and outlier detection). A subset must exist
 * before a route names it, or Envoy has no cluster for it and answers 503 with the NR flag
 * (https://istio.io/latest/docs/ops/best-practices/traffic-management/#avoid-503-errors-while-reconfiguring-service-routes).
 */
import type { CircuitBreakingInput } from "@/lib/routing/schemas";
import {
  clone,
  CREATED_BY_LABEL,
  CREATED_BY_VALUE,
  CREATED_SUBSETS_ANNOTATION,
  createdByConsole,
  listAnnotation,
  MANAGED_POLICY_ANNOTATION,
  setListAnnotation,
  type DestinationRule,
  type ServiceRef,
} from "./istioObjects";
import { namesService } from "@/lib/istio/host";

/** The DestinationRule for the service in its namespace: the one named after it first. */
export function findServiceDestinationRule(candidates: readonly DestinationRule[], ref: ServiceRef): DestinationRule | undefined {
  const matching = candidates
    .filter((dr) => (dr.metadata.namespace ?? ref.namespace) === ref.namespace && namesService(dr.spec.host, ref.namespace, ref) && !dr.spec.workloadSelector)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return matching.find((dr) => dr.metadata.name === ref.service) ?? matching[0];
}

export function newDestinationRule(ref: ServiceRef): DestinationRule {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: ref.service, namespace: ref.namespace, labels: { [CREATED_BY_LABEL]: CREATED_BY_VALUE } },
    spec: { host: ref.service },
  };
}

/** The subset names the DestinationRule defines. */
export function subsetNames(dr: DestinationRule | undefined): string[] {
  return (dr?.spec.subsets ?? []).map((subset) => subset.name);
}

/**
 * The DestinationRule with a subset for each of `needed` (selecting the workloads' `version`
 * label), or the current one unchanged when all exist. Added subsets are recorded so "remove"
 * takes away only those.
 */
export function withSubsets(current: DestinationRule | undefined, ref: ServiceRef, needed: Iterable<string>): DestinationRule | undefined {
  const existing = new Set(subsetNames(current));
  const missing = [...new Set(needed)].filter((name) => !existing.has(name)).sort();
  if (missing.length === 0) return current;
  const dr = current ? clone(current) : newDestinationRule(ref);
  dr.spec.subsets = [...(dr.spec.subsets ?? []), ...missing.map((name) => ({ name, labels: { version: name } }))];
  setListAnnotation(dr, CREATED_SUBSETS_ANNOTATION, [...listAnnotation(dr, CREATED_SUBSETS_ANNOTATION), ...missing]);
  return dr;
}

/**
 * Connection pool and outlier detection (https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection),
 * merged into the traffic policy so TLS, load-balancer and other settings stay.
 */
export function circuitBreaking(current: DestinationRule | undefined, ref: ServiceRef, input: Pick<CircuitBreakingInput, "connectionPool" | "outlierDetection">): DestinationRule {
  const dr = current ? clone(current) : newDestinationRule(ref);
  const policy: Record<string, unknown> = { ...(dr.spec.trafficPolicy ?? {}) };
  const managed = listAnnotation(dr, MANAGED_POLICY_ANNOTATION);
  if (input.connectionPool) {
    const { maxConnections, http1MaxPendingRequests, maxRequestsPerConnection } = input.connectionPool;
    const pool = clone((policy.connectionPool ?? {}) as Record<string, Record<string, unknown> | undefined>);
    if (maxConnections !== undefined) pool.tcp = { ...(pool.tcp ?? {}), maxConnections };
    if (http1MaxPendingRequests !== undefined || maxRequestsPerConnection !== undefined) {
      pool.http = { ...(pool.http ?? {}), ...(http1MaxPendingRequests !== undefined ? { http1MaxPendingRequests } : {}), ...(maxRequestsPerConnection !== undefined ? { maxRequestsPerConnection } : {}) };
    }
    policy.connectionPool = pool;
    if (!current?.spec.trafficPolicy?.connectionPool) managed.push("connectionPool");
  }
  if (input.outlierDetection) {
    policy.outlierDetection = { ...((policy.outlierDetection as Record<string, unknown> | undefined) ?? {}), ...input.outlierDetection };
    if (!current?.spec.trafficPolicy?.outlierDetection) managed.push("outlierDetection");
  }
  dr.spec.trafficPolicy = policy;
  setListAnnotation(dr, MANAGED_POLICY_ANNOTATION, managed);
  return dr;
}

/**
 * The DestinationRule without what the console added, keeping subsets a remaining route still
 * names. A DestinationRule the console created, left with nothing, is deleted (null).
 */
export function withoutConsoleParts(dr: DestinationRule, stillReferenced: ReadonlySet<string>): DestinationRule | null {
  const copy = clone(dr);
  const created = listAnnotation(copy, CREATED_SUBSETS_ANNOTATION);
  const keptCreated = created.filter((name) => stillReferenced.has(name));
  copy.spec.subsets = (copy.spec.subsets ?? []).filter((subset) => !created.includes(subset.name) || stillReferenced.has(subset.name));
  if (copy.spec.subsets.length === 0) delete copy.spec.subsets;
  setListAnnotation(copy, CREATED_SUBSETS_ANNOTATION, keptCreated);
  if (copy.spec.trafficPolicy) {
    for (const field of listAnnotation(copy, MANAGED_POLICY_ANNOTATION)) delete copy.spec.trafficPolicy[field];
    if (Object.keys(copy.spec.trafficPolicy).length === 0) delete copy.spec.trafficPolicy;
  }
  setListAnnotation(copy, MANAGED_POLICY_ANNOTATION, []);
  const empty = !copy.spec.subsets && !copy.spec.trafficPolicy && Object.keys(copy.spec).every((key) => key === "host");
  return createdByConsole(copy) && empty ? null : copy;
}
