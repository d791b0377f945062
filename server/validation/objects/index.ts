import { z } from "zod";
import { normalizedDestinationRuleSchema } from "@/lib/istio/destinationRule";
import { normalizedPeerAuthenticationSchema } from "@/lib/istio/peerAuthentication";
import { normalizedVirtualServiceSchema } from "@/lib/istio/virtualService";
import type { ObjectRef } from "@/lib/validation/finding";
import * as gatewayApi from "./gatewayApi";
import * as istio from "./istio";
import * as kube from "./kube";

/**
 * The kinds the engine reads, how they are recognised (API group + kind), and how one raw object
 * becomes a typed one. A malformed object is reported, never thrown.
 */

export const kindSchemas = {
  Namespace: kube.namespaceSchema,
  Node: kube.nodeSchema,
  Service: kube.serviceSchema,
  Endpoints: kube.endpointsSchema,
  Pod: kube.podSchema,
  Deployment: kube.workloadControllerSchema,
  ReplicaSet: kube.workloadControllerSchema,
  ServiceAccount: kube.serviceAccountSchema,
  ConfigMap: kube.configMapSchema,
  VirtualService: normalizedVirtualServiceSchema,
  DestinationRule: normalizedDestinationRuleSchema,
  Gateway: istio.gatewaySchema,
  ServiceEntry: istio.serviceEntrySchema,
  Sidecar: istio.sidecarSchema,
  WorkloadEntry: istio.workloadEntrySchema,
  PeerAuthentication: normalizedPeerAuthenticationSchema,
  AuthorizationPolicy: istio.authorizationPolicySchema,
  RequestAuthentication: istio.requestAuthenticationSchema,
  KubernetesGateway: istio.kubernetesGatewaySchema,
  HTTPRoute: gatewayApi.routeSchema,
  GRPCRoute: gatewayApi.routeSchema,
  TLSRoute: gatewayApi.routeSchema,
  TCPRoute: gatewayApi.routeSchema,
  ReferenceGrant: gatewayApi.referenceGrantSchema,
  GatewayClass: gatewayApi.gatewayClassSchema,
  CustomResourceDefinition: gatewayApi.customResourceDefinitionSchema,
  Telemetry: gatewayApi.selectingPolicySchema,
  WasmPlugin: gatewayApi.selectingPolicySchema,
} as const;

export type KindName = keyof typeof kindSchemas;
export const kindNames = Object.keys(kindSchemas) as KindName[];

export type MeshObject<K extends KindName = KindName> = z.infer<(typeof kindSchemas)[K]> & {
  readonly kind: K;
  /** What findings name: display kind, namespace ("" when cluster-scoped or unset) and name. */
  readonly ref: ObjectRef;
  /** Unique per object: `KindName/namespace/name`. */
  readonly key: string;
  /** Assumed objects (the default ingress gateway of offline analysis) get no findings of their own. */
  readonly synthetic: boolean;
};

export type ServiceObject = MeshObject<"Service">;
export type PodObject = MeshObject<"Pod">;
export type VirtualServiceObject = MeshObject<"VirtualService">;
export type DestinationRuleObject = MeshObject<"DestinationRule">;
export type GatewayObject = MeshObject<"Gateway">;
export type ServiceEntryObject = MeshObject<"ServiceEntry">;

export interface InvalidObject {
  readonly ref: ObjectRef;
  readonly key: string;
  readonly path: string;
  readonly message: string;
}

export type ParseOutcome =
  | { readonly status: "parsed"; readonly object: MeshObject }
  | { readonly status: "invalid"; readonly invalid: InvalidObject }
  | { readonly status: "ignored"; readonly reason: string };

const clusterScoped = new Set<KindName>(["Namespace", "Node", "GatewayClass", "CustomResourceDefinition"]);

/** The Gateway API route kinds. */
export const routeKindNames = ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"] as const satisfies readonly KindName[];
export type RouteKindName = (typeof routeKindNames)[number];

const kindsByGroup: Record<string, Partial<Record<string, KindName>>> = {
  "": { Namespace: "Namespace", Node: "Node", Service: "Service", Endpoints: "Endpoints", Pod: "Pod", ServiceAccount: "ServiceAccount", ConfigMap: "ConfigMap" },
  apps: { Deployment: "Deployment", ReplicaSet: "ReplicaSet" },
  "networking.istio.io": {
    VirtualService: "VirtualService",
    DestinationRule: "DestinationRule",
    Gateway: "Gateway",
    ServiceEntry: "ServiceEntry",
    Sidecar: "Sidecar",
    WorkloadEntry: "WorkloadEntry",
  },
  "security.istio.io": {
    PeerAuthentication: "PeerAuthentication",
    AuthorizationPolicy: "AuthorizationPolicy",
    RequestAuthentication: "RequestAuthentication",
  },
  "gateway.networking.k8s.io": {
    Gateway: "KubernetesGateway",
    HTTPRoute: "HTTPRoute",
    GRPCRoute: "GRPCRoute",
    TLSRoute: "TLSRoute",
    TCPRoute: "TCPRoute",
    ReferenceGrant: "ReferenceGrant",
    GatewayClass: "GatewayClass",
  },
  "apiextensions.k8s.io": { CustomResourceDefinition: "CustomResourceDefinition" },
  "telemetry.istio.io": { Telemetry: "Telemetry" },
  "extensions.istio.io": { WasmPlugin: "WasmPlugin" },
};

/**
 * The kind findings name: the console's key for it (lib/istioKinds.ts), so a finding links to the
 * object's page. The Gateway API Gateway is `K8sGateway` there; findings print it as `Gateway`
 * (formatObjectRef), as istioctl does.
 */
export function displayKind(kind: KindName): string {
  return kind === "KubernetesGateway" ? "K8sGateway" : kind;
}

export function objectKey(kind: KindName, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function apiGroup(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== "string") return undefined;
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** Which of our kinds a raw object is, from apiVersion and kind (or kind alone when apiVersion is missing). */
export function recognizeKind(raw: Record<string, unknown>): KindName | undefined {
  const kind = raw.kind;
  if (typeof kind !== "string") return undefined;
  const group = apiGroup(raw.apiVersion);
  if (group !== undefined) return kindsByGroup[group]?.[kind];
  for (const candidate of ["", "apps", "networking.istio.io", "security.istio.io"]) {
    const found = kindsByGroup[candidate]?.[kind];
    if (found) return found;
  }
  return undefined;
}

/** `spec.http[0].route` from a zod issue path. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface ParseOptions {
  /** Namespace for namespaced objects that carry none (kubectl applies "default"); unset keeps "". */
  readonly defaultNamespace?: string;
  readonly synthetic?: boolean;
}

export function parseMeshObject(raw: unknown, options: ParseOptions = {}): ParseOutcome {
  if (!isRecord(raw)) return { status: "ignored", reason: "not an object" };
  const kindName = recognizeKind(raw);
  if (!kindName) return { status: "ignored", reason: `kind ${String(raw.kind)} (${String(raw.apiVersion)}) is not read by validation` };
  const rawMetadata = isRecord(raw.metadata) ? raw.metadata : {};
  const rawName = typeof rawMetadata.name === "string" && rawMetadata.name ? rawMetadata.name : "(unnamed)";
  const rawNamespace = clusterScoped.has(kindName)
    ? ""
    : typeof rawMetadata.namespace === "string" && rawMetadata.namespace
      ? rawMetadata.namespace
      : (options.defaultNamespace ?? "");
  const ref: ObjectRef = { kind: displayKind(kindName), namespace: rawNamespace, name: rawName };
  const key = objectKey(kindName, rawNamespace, rawName);
  const result = kindSchemas[kindName].safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue ? formatFieldPath(issue.path) : "";
    const message = issue ? `${path || "object"}: ${issue.message}` : "object does not match its schema";
    return { status: "invalid", invalid: { ref, key, path, message } };
  }
  const object = { ...result.data, kind: kindName, ref, key, synthetic: options.synthetic ?? false } as MeshObject;
  return { status: "parsed", object };
}
