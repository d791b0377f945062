/**
 * Validation of the custom resources served built in (Istio's kinds, and the Gateway API kinds
 * until their CRDs are applied) against the OpenAPI schemas their models were generated from, as
 * the API server does on every write, with the causes worded as the API server words them.
 */
import { gatewayApiSchemaErrors, isGatewayApiObjectKind } from "@/lib/gatewayApi/schema";
import { fieldPathOf, ISTIO_MODELS, isIstioKind, istioSchemaErrors, schemaErrorsOf, type SchemaError } from "@/lib/istio/schema";
import type { StatusCause } from "./status";
import type { SchemaNode } from "./unknown-fields";

function describeValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "null";
}

/** The value a JSON pointer names, for validators that do not report it. */
function valueAt(body: unknown, instancePath: string): unknown {
  let value = body;
  for (const segment of instancePath.split("/").slice(1)) {
    const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Turns one schema error into the cause the API server would report for it. */
function causeOf(error: SchemaError, body: unknown): StatusCause {
  const field = fieldPathOf(error.instancePath);
  const shown = describeValue(error.data !== undefined ? error.data : valueAt(body, error.instancePath));
  const limit = error.params.limit;
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
    // Bounds in kube-openapi's words, which kube-apiserver reports.
    case "maximum":
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${shown}: ${field} in body should be less than or equal to ${String(limit)}` };
    case "minimum":
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${shown}: ${field} in body should be greater than or equal to ${String(limit)}` };
    case "pattern":
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${shown}: ${field} in body should match '${String(error.params.pattern)}'` };
    case "maxLength":
      return { reason: "FieldValueTooLong", field, message: `Too long: may not be more than ${String(limit)} bytes` };
    case "minLength":
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${shown}: ${field} in body should be at least ${String(limit)} chars long` };
    case "maxItems": {
      const items = valueAt(body, error.instancePath);
      return { reason: "FieldValueTooMany", field, message: `Too many: ${Array.isArray(items) ? items.length : "?"}: must have at most ${String(limit)} items` };
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
  if (!isIstioKind(kind)) return [];
  const { metadata: _metadata, apiVersion: _apiVersion, ...body } = object;
  return istioSchemaErrors(kind, body).map((error) => causeOf(error, body));
}

/**
 * Validates a Gateway API object's body (everything but metadata) with the models' schemas, for the
 * built-in Gateway API kinds. Returns the causes of a 422 Invalid, empty when the object is valid.
 */
export function validateGatewayApiObject(kind: string, object: Record<string, unknown>): StatusCause[] {
  if (!isGatewayApiObjectKind(kind)) return [];
  const { metadata: _metadata, apiVersion: _apiVersion, ...body } = object;
  return gatewayApiSchemaErrors(kind, body).map((error) => causeOf(error, body));
}

const rootSchemas = new Map<string, SchemaNode | undefined>();

/**
 * The root schema of a kind, for the unknown-field check the models leave out. The models do not
 * export their schemas, but their validator reports the schema node of each error; a model
 * stripped of the required apiVersion fails at the root and so yields the root schema.
 */
export function istioSchemaOf(kind: string): SchemaNode | undefined {
  if (rootSchemas.has(kind)) return rootSchemas.get(kind);
  let schema: SchemaNode | undefined;
  if (isIstioKind(kind)) {
    const probe = new ISTIO_MODELS[kind]();
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

export { isIstioKind };
