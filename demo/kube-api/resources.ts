/**
 * The kinds this API server serves, described the way discovery describes them.
 * Names, short names and categories follow Kubernetes' built-in types, Istio's CRDs
 * (https://istio.io/latest/docs/reference/config/) and the Gateway API's v1.6.1 standard CRDs, so
 * kubectl's short forms (`vs`, `dr`, `po`, `gtw`…) resolve exactly as on a real cluster. Kinds
 * defined by CustomResourceDefinitions at run time join these in the registry's catalog.
 */
import { LEASE_TYPE } from "./coordination-kinds";
import { PACKAGING_TYPES } from "./packaging-kinds";
import type { StructuralSchema } from "./structural-schema";

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
  /** Columns `kubectl get` prints (a CRD's additionalPrinterColumns); without them, built-in printers or Name and Age. */
  printerColumns?: readonly PrinterColumn[];
  /** Set for kinds a CustomResourceDefinition defines: its name and the structural schema of each served version. */
  crd?: { name: string; schemas: ReadonlyMap<string, StructuralSchema> };
}

/** One of a CRD's `additionalPrinterColumns`. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
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

const AGE_COLUMN: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

/**
 * The Gateway API kinds as their v1.6.1 standard-channel CRDs declare them (versions served,
 * storage version, scope, names, printer columns). Served built in so a fresh demo has them; a
 * CRD applied for one of them takes over (see crd.ts).
 */
function gatewayApi(
  kind: string,
  plural: string,
  options: { versions: readonly string[]; storageVersion?: string; namespaced?: boolean; shortNames?: string[]; statusSubresource?: boolean; columns?: PrinterColumn[] },
): ResourceType {
  return {
    group: "gateway.networking.k8s.io",
    versions: options.versions,
    storageVersion: options.storageVersion ?? "v1",
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: options.namespaced ?? true,
    shortNames: options.shortNames ?? [],
    categories: ["gateway-api"],
    custom: true,
    tracksGeneration: true,
    statusSubresource: options.statusSubresource ?? true,
    printerColumns: [...(options.columns ?? []), AGE_COLUMN],
  };
}

const HOSTNAMES_COLUMN: PrinterColumn = { name: "Hostnames", type: "string", jsonPath: ".spec.hostnames" };

export const CUSTOM_RESOURCE_DEFINITION_TYPE: ResourceType = {
  group: "apiextensions.k8s.io",
  versions: ["v1"],
  storageVersion: "v1",
  kind: "CustomResourceDefinition",
  plural: "customresourcedefinitions",
  singular: "customresourcedefinition",
  namespaced: false,
  shortNames: ["crd", "crds"],
  categories: ["api-extensions"],
  custom: false,
  tracksGeneration: true,
  statusSubresource: true,
  printerColumns: [{ name: "Created At", type: "date", jsonPath: ".metadata.creationTimestamp" }],
};

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
  CUSTOM_RESOURCE_DEFINITION_TYPE,
  gatewayApi("GatewayClass", "gatewayclasses", {
    versions: ["v1", "v1beta1"],
    namespaced: false,
    shortNames: ["gc"],
    columns: [
      { name: "Controller", type: "string", jsonPath: ".spec.controllerName" },
      { name: "Accepted", type: "string", jsonPath: '.status.conditions[?(@.type=="Accepted")].status' },
    ],
  }),
  gatewayApi("Gateway", "gateways", {
    versions: ["v1", "v1beta1"],
    shortNames: ["gtw"],
    columns: [
      { name: "Class", type: "string", jsonPath: ".spec.gatewayClassName" },
      { name: "Address", type: "string", jsonPath: ".status.addresses[*].value" },
      { name: "Programmed", type: "string", jsonPath: '.status.conditions[?(@.type=="Programmed")].status' },
    ],
  }),
  gatewayApi("HTTPRoute", "httproutes", { versions: ["v1", "v1beta1"], columns: [HOSTNAMES_COLUMN] }),
  gatewayApi("GRPCRoute", "grpcroutes", { versions: ["v1"], columns: [HOSTNAMES_COLUMN] }),
  // ReferenceGrant is stored at v1beta1 and has no status.
  gatewayApi("ReferenceGrant", "referencegrants", { versions: ["v1", "v1beta1"], storageVersion: "v1beta1", shortNames: ["refgrant"], statusSubresource: false }),
  gatewayApi("TLSRoute", "tlsroutes", { versions: ["v1"] }),
  gatewayApi("TCPRoute", "tcproutes", { versions: ["v1"] }),
  // The kinds of the console's own kustomize packaging (deploy/), so `kubectl apply -k` works.
  ...PACKAGING_TYPES,
  LEASE_TYPE,
];

/** The group of the Kubernetes Gateway API. */
export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

/** "virtualservices.networking.istio.io", or "pods" for the core group, as Kubernetes names a resource in messages. */
export function qualifiedResource(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function typeKey(type: ResourceType): string {
  return `${type.group}/${type.plural}`;
}
