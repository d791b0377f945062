/**
 * The kinds this API server serves, described the way discovery describes them.
 * Names, short names and categories follow Kubernetes' built-in types and Istio's CRDs
 * (https://istio.io/latest/docs/reference/config/), so kubectl's short forms (`vs`, `dr`, `po`…)
 * resolve exactly as on a real cluster.
 */

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export const ALL_VERBS: readonly Verb[] = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

export interface ResourceType {
  /** API group; "" is the core (legacy) group served under /api. */
  group: string;
  /** Versions served, preferred first. All versions share one storage. */
  versions: readonly string[];
  /** Version objects are kept in (apiVersion rewritten to the version asked on the way out).
   * The preferred version is used so the common read needs no rewrite; clients cannot tell. */
  storageVersion: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  /** Custom resources (CRDs) differ from built-ins: no strategic merge patch, schema from the CRD. */
  custom: boolean;
  /** Writes to a spec bump metadata.generation (CRDs and workload controllers do; Services don't). */
  tracksGeneration: boolean;
  /** Has a /status subresource whose content the main resource's writes leave alone. */
  statusSubresource: boolean;
}

const ISTIO_NETWORKING_VERSIONS = ["v1", "v1beta1", "v1alpha3"] as const;
const ISTIO_SECURITY_VERSIONS = ["v1", "v1beta1"] as const;

function core(kind: string, plural: string, namespaced: boolean, shortNames: string[], extra: Partial<ResourceType> = {}): ResourceType {
  return {
    group: "",
    versions: ["v1"],
    storageVersion: "v1",
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames,
    categories: [],
    custom: false,
    tracksGeneration: false,
    statusSubresource: false,
    ...extra,
  };
}

function apps(kind: string, plural: string, shortNames: string[]): ResourceType {
  return {
    group: "apps",
    versions: ["v1"],
    storageVersion: "v1",
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames,
    categories: ["all"],
    custom: false,
    tracksGeneration: true,
    statusSubresource: true,
  };
}

function istio(group: "networking.istio.io" | "security.istio.io", kind: string, plural: string, shortNames: string[]): ResourceType {
  const networking = group === "networking.istio.io";
  return {
    group,
    versions: networking ? ISTIO_NETWORKING_VERSIONS : ISTIO_SECURITY_VERSIONS,
    storageVersion: "v1",
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames,
    categories: ["istio-io", networking ? "networking-istio-io" : "security-istio-io"],
    custom: true,
    tracksGeneration: true,
    statusSubresource: true,
  };
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  core("Namespace", "namespaces", false, ["ns"], { statusSubresource: true }),
  core("Service", "services", true, ["svc"], { categories: ["all"], statusSubresource: true }),
  core("Pod", "pods", true, ["po"], { categories: ["all"], statusSubresource: true }),
  core("Endpoints", "endpoints", true, ["ep"], { singular: "endpoints" }),
  core("ServiceAccount", "serviceaccounts", true, ["sa"]),
  core("ConfigMap", "configmaps", true, ["cm"]),
  apps("Deployment", "deployments", ["deploy"]),
  apps("ReplicaSet", "replicasets", ["rs"]),
  istio("networking.istio.io", "VirtualService", "virtualservices", ["vs"]),
  istio("networking.istio.io", "DestinationRule", "destinationrules", ["dr"]),
  istio("networking.istio.io", "Gateway", "gateways", ["gw"]),
  istio("networking.istio.io", "ServiceEntry", "serviceentries", ["se"]),
  istio("networking.istio.io", "Sidecar", "sidecars", []),
  istio("networking.istio.io", "WorkloadEntry", "workloadentries", ["we"]),
  istio("security.istio.io", "PeerAuthentication", "peerauthentications", ["pa"]),
  istio("security.istio.io", "AuthorizationPolicy", "authorizationpolicies", ["ap"]),
  istio("security.istio.io", "RequestAuthentication", "requestauthentications", ["ra"]),
];

/** "virtualservices.networking.istio.io", or "pods" for the core group, as Kubernetes names a resource in messages. */
export function qualifiedResource(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function findByPlural(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.plural === plural && t.versions.includes(version));
}

/** Finds the type of an object from its apiVersion and kind (seed files, request bodies). */
export function findByKind(apiVersion: string, kind: string): ResourceType | undefined {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return RESOURCE_TYPES.find((t) => t.group === group && t.kind === kind && t.versions.includes(version));
}

/** Groups in the order discovery lists them (core first, then by name as kube-aggregator sorts). */
export function servedGroups(): string[] {
  const groups: string[] = [];
  for (const t of RESOURCE_TYPES) if (t.group && !groups.includes(t.group)) groups.push(t.group);
  return groups;
}

export function versionsOfGroup(group: string): string[] {
  const versions: string[] = [];
  for (const t of RESOURCE_TYPES) {
    if (t.group !== group) continue;
    for (const v of t.versions) if (!versions.includes(v)) versions.push(v);
  }
  return versions;
}

export function typeKey(type: ResourceType): string {
  return `${type.group}/${type.plural}`;
}
