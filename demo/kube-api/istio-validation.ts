/**
 * Validation of Istio custom resources against the OpenAPI schemas of Istio's CRDs, as the API
 * server does on every write. The schemas come from `@kubernetes-models/istio`, generated from
 * those CRDs; Istio serves the same schema for v1, v1beta1 and v1alpha3, so the v1beta1 models
 * stand in for every version.
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
import type { StatusCause } from "./status";
import type { SchemaNode } from "./unknown-fields";

interface IstioModel {
  validate(): void;
  apiVersion?: string;
  kind?: string;
}
type IstioModelClass = new (data?: Record<string, unknown>) => IstioModel;

const MODELS: Readonly<Record<string, IstioModelClass>> = {
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

/** The slice of an ajv error (the models validate with ajv, `allErrors` and `verbose` on) used here. */
interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  data?: unknown;
  parentSchema?: unknown;
}

function schemaErrorsOf(error: unknown): SchemaError[] | undefined {
  if (typeof error === "object" && error !== null && "errors" in error && Array.isArray(error.errors)) {
    return error.errors as SchemaError[];
  }
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

function describeValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "null";
}

/** Turns one schema error into the cause the API server would report for it. */
function causeOf(error: SchemaError): StatusCause {
  const field = fieldPathOf(error.instancePath);
  const shown = describeValue(error.data);
  switch (error.keyword) {
    case "type": {
      const expected = String(error.params.type);
      return {
        reason: "FieldValueTypeInvalid",
        field,
        message: `Invalid value: ${shown}: ${field} in body must be of type ${expected}: ${shown}`,
      };
    }
    case "enum": {
      const allowed = (error.params.allowedValues as unknown[] | undefined)?.map((v) => JSON.stringify(v)).join(", ") ?? "";
      return { reason: "FieldValueNotSupported", field, message: `Unsupported value: ${shown}: supported values: ${allowed}` };
    }
    case "required": {
      const missing = String(error.params.missingProperty);
      const missingField = field ? `${field}.${missing}` : missing;
      return { reason: "FieldValueRequired", field: missingField, message: "Required value" };
    }
    default:
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${shown}: ${field} in body ${error.message ?? "is invalid"}` };
  }
}

/**
 * Validates an Istio object's body (everything but metadata, which the server checks itself).
 * Returns the causes of a 422 Invalid, empty when the object is valid.
 */
export function validateIstioObject(kind: string, object: Record<string, unknown>): StatusCause[] {
  const Model = MODELS[kind];
  if (!Model) return [];
  const { metadata: _metadata, apiVersion: _apiVersion, ...body } = object;
  const model = new Model(body);
  try {
    model.validate();
    return [];
  } catch (error) {
    const errors = schemaErrorsOf(error);
    if (!errors) throw error;
    // A oneOf failure repeats what its branches already said; keep the concrete errors.
    const concrete = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf" && e.keyword !== "not");
    return (concrete.length > 0 ? concrete : errors).map(causeOf);
  }
}

const rootSchemas = new Map<string, SchemaNode | undefined>();

/**
 * The root schema of a kind, for the unknown-field check the models leave out. The models do not
 * export their schemas, but their validator reports the schema node of each error; a model
 * stripped of the required apiVersion fails at the root and so yields the root schema.
 */
export function istioSchemaOf(kind: string): SchemaNode | undefined {
  if (rootSchemas.has(kind)) return rootSchemas.get(kind);
  const Model = MODELS[kind];
  let schema: SchemaNode | undefined;
  if (Model) {
    const probe = new Model();
    delete probe.apiVersion;
    try {
      probe.validate();
    } catch (error) {
      const root = schemaErrorsOf(error)?.find((e) => e.keyword === "required" && e.instancePath === "");
      schema = root?.parentSchema as SchemaNode | undefined;
    }
  }
  rootSchemas.set(kind, schema);
  return schema;
}

/** The body of a kind as the API server prunes it: metadata and status are checked elsewhere. */
export function istioBodySchemaOf(kind: string): SchemaNode | undefined {
  const root = istioSchemaOf(kind);
  if (!root?.properties) return undefined;
  const { metadata: _metadata, status: _status, ...properties } = root.properties;
  return { ...root, properties: { ...properties, metadata: { "x-kubernetes-preserve-unknown-fields": true }, status: { "x-kubernetes-preserve-unknown-fields": true } } };
}

export function isIstioKind(kind: string): boolean {
  return kind in MODELS;
}
