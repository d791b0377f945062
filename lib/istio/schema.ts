/**
 * Istio objects checked against the OpenAPI schemas of Istio's CRDs. The schemas come from
 * `@kubernetes-models/istio`, generated from those CRDs; Istio serves one schema for v1, v1beta1
 * and v1alpha3, so the v1beta1 models stand for every version. Pure: the console checks an edit
 * with it before sending, and the demo's API server checks every write with it, each wording the
 * errors its own way.
 */
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { ServiceEntry } from "@kubernetes-models/istio/networking.istio.io/v1beta1/ServiceEntry";
import { Sidecar } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Sidecar";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService";
import { WorkloadEntry } from "@kubernetes-models/istio/networking.istio.io/v1beta1/WorkloadEntry";
import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import { RequestAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/RequestAuthentication";
import type { IstioApiKind } from "@/lib/istioKinds";

export interface IstioModel {
  validate(): void;
  apiVersion?: string;
  kind?: string;
}
export type IstioModelClass = new (data?: Record<string, unknown>) => IstioModel;

// The model classes differ only in their data type; the check needs nothing but validate().
export const ISTIO_MODELS: Readonly<Record<IstioApiKind, IstioModelClass>> = {
  VirtualService: VirtualService as unknown as IstioModelClass,
  DestinationRule: DestinationRule as unknown as IstioModelClass,
  Gateway: Gateway as unknown as IstioModelClass,
  ServiceEntry: ServiceEntry as unknown as IstioModelClass,
  Sidecar: Sidecar as unknown as IstioModelClass,
  WorkloadEntry: WorkloadEntry as unknown as IstioModelClass,
  PeerAuthentication: PeerAuthentication as unknown as IstioModelClass,
  AuthorizationPolicy: AuthorizationPolicy as unknown as IstioModelClass,
  RequestAuthentication: RequestAuthentication as unknown as IstioModelClass,
};

export function isIstioKind(kind: string): kind is IstioApiKind {
  return Object.hasOwn(ISTIO_MODELS, kind);
}

/** The slice of an ajv error (the models validate with ajv, `allErrors` and `verbose` on) that callers read. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  data?: unknown;
  parentSchema?: unknown;
}

export function schemaErrorsOf(error: unknown): SchemaError[] | undefined {
  if (typeof error === "object" && error !== null && "errors" in error && Array.isArray(error.errors)) return error.errors as SchemaError[];
  return undefined;
}

/** "/spec/http/0/route/0/weight" → "spec.http[0].route[0].weight", the field path Kubernetes reports. */
export function fieldPathOf(instancePath: string): string {
  let path = "";
  for (const segment of instancePath.split("/").slice(1)) {
    const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    path += /^\d+$/.test(key) ? `[${key}]` : path ? `.${key}` : key;
  }
  return path;
}

/** The schema errors of an object's body (without metadata); empty when it fits. */
export function istioSchemaErrors(kind: IstioApiKind, body: Record<string, unknown>): SchemaError[] {
  return modelSchemaErrors(ISTIO_MODELS[kind], body);
}

/** The schema errors of a body under any kubernetes-models class (Istio's, the Gateway API's); empty when it fits. */
export function modelSchemaErrors(model: IstioModelClass, body: Record<string, unknown>): SchemaError[] {
  try {
    new model(body).validate();
    return [];
  } catch (error) {
    const errors = schemaErrorsOf(error);
    if (!errors) throw error;
    // A oneOf failure only repeats what its branches said; keep the concrete errors.
    const concrete = errors.filter((entry) => !["oneOf", "anyOf", "not"].includes(entry.keyword));
    return concrete.length > 0 ? concrete : errors;
  }
}
