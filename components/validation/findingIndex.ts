/**
 * Findings looked up the ways the console shows them: per object (badges, status column), per
 * namespace (overview cards), and the page each finding points to.
 */
import { CLUSTER_SCOPE_SEGMENT, ISTIO_KINDS } from "@/lib/istioKinds";
import type { Finding, Severity } from "@/lib/validation/finding";

export type ValidationStatus = Severity | "valid";

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export interface FindingIndex {
  of(kind: string, namespace: string, name: string): readonly Finding[];
  statusOf(kind: string, namespace: string, name: string): ValidationStatus;
  countsIn(namespace: string): Record<Severity, number>;
}

export function worstSeverity(findings: readonly Finding[]): ValidationStatus {
  let worst: Severity | undefined;
  for (const finding of findings) if (!worst || RANK[finding.severity] < RANK[worst]) worst = finding.severity;
  return worst ?? "valid";
}

export function indexFindings(findings: readonly Finding[]): FindingIndex {
  const byObject = new Map<string, Finding[]>();
  const byNamespace = new Map<string, Record<Severity, number>>();
  for (const finding of findings) {
    const key = objectKey(finding.object.kind, finding.object.namespace, finding.object.name);
    byObject.set(key, [...(byObject.get(key) ?? []), finding]);
    const counts = byNamespace.get(finding.object.namespace) ?? { error: 0, warning: 0, info: 0 };
    counts[finding.severity] += 1;
    byNamespace.set(finding.object.namespace, counts);
  }
  return {
    of: (kind, namespace, name) => byObject.get(objectKey(kind, namespace, name)) ?? [],
    statusOf: (kind, namespace, name) => worstSeverity(byObject.get(objectKey(kind, namespace, name)) ?? []),
    countsIn: (namespace) => byNamespace.get(namespace) ?? { error: 0, warning: 0, info: 0 },
  };
}

/** The page that shows the object a finding is about, at the field when it is Istio config; undefined when the console has no page for the kind. */
export function findingHref(finding: Finding): string | undefined {
  const { kind, namespace, name } = finding.object;
  const info = ISTIO_KINDS.find((candidate) => candidate.kind === kind);
  if (info && !info.namespaced) {
    // Cluster-scoped config (GatewayClass) lives under the cluster-scope segment.
    const base = `/istio/${CLUSTER_SCOPE_SEGMENT}/${kind}/${encodeURIComponent(name)}`;
    return finding.path ? `${base}?field=${encodeURIComponent(finding.path)}` : base;
  }
  // A namespace's labels (injection, ambient, waypoint) are shown on the overview, filtered to it.
  if (kind === "Namespace") return `/?namespaces=${encodeURIComponent(name)}`;
  if (!namespace) return undefined;
  const path = `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
  if (ISTIO_KINDS.some((info) => info.kind === kind)) {
    const base = `/istio/${encodeURIComponent(namespace)}/${kind}/${encodeURIComponent(name)}`;
    return finding.path ? `${base}?field=${encodeURIComponent(finding.path)}` : base;
  }
  if (kind === "Service") return `/services/${path}`;
  if (kind === "Deployment") return `/workloads/${path}`;
  return undefined;
}
