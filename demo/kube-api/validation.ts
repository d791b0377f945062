/**
 * Admission-time validation: object names, then the kind's own rules (Istio CRD schemas or the
 * built-in essentials). Unknown fields in custom resources are pruned, warned about or rejected
 * according to `fieldValidation`.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 */
import { validateBuiltinObject } from "./builtin-validation";
import { crdCauses } from "./crd";
import { istioBodySchemaOf, validateGatewayApiObject, validateIstioObject } from "./istio-validation";
import type { KubeObject } from "./object";
import { GATEWAY_API_GROUP, type ResourceType } from "./resources";
import { badRequest, invalid, type StatusCause } from "./status";
import { applySchemaDefaults, pruneBySchema, validateBySchema } from "./structural-schema";
import { pruneUnknownFields, unknownFields } from "./unknown-fields";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Namespaces and Services become DNS labels (`<svc>.<ns>.svc`), so their names must be one. */
const LABEL_NAMED_KINDS = new Set(["Namespace", "Service"]);

export function nameCauses(kind: string, name: string): StatusCause[] {
  if (LABEL_NAMED_KINDS.has(kind)) {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      return [
        {
          reason: "FieldValueInvalid",
          field: "metadata.name",
          message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        },
      ];
    }
    return [];
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [
      {
        reason: "FieldValueInvalid",
        field: "metadata.name",
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
    ];
  }
  return [];
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function labelCauses(labels: Record<string, string> | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (value.length > 63 || !LABEL_VALUE.test(value)) {
      causes.push({
        reason: "FieldValueInvalid",
        field: "metadata.labels",
        message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (label ${key})`,
      });
    }
  }
  return causes;
}

/** kube-apiserver caps the total size of an object's annotations (keys and values) at 256 KiB. */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function annotationCauses(annotations: Record<string, string> | undefined): StatusCause[] {
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) size += key.length + value.length;
  if (size <= TOTAL_ANNOTATION_SIZE_LIMIT) return [];
  // Large CRDs meet this through `kubectl apply`'s last-applied annotation.
  return [{ reason: "FieldValueTooLong", field: "metadata.annotations", message: `Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` }];
}

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export function parseFieldValidation(value: string | null): FieldValidation {
  if (value === null || value === "" || value === "Warn") return "Warn";
  if (value === "Strict" || value === "Ignore") return value;
  throw badRequest(`fieldValidation: invalid value "${value}"; expected Strict, Warn or Ignore`);
}

export interface ValidationOutcome {
  /** The object to store (unknown fields pruned). */
  object: KubeObject;
  /** Warnings for the `Warning` response header. */
  warnings: string[];
}

/** What a write knows besides the object: the version it was sent at, and the stored object on updates (for CEL transition rules). */
export interface WriteContext {
  version?: string;
  current?: KubeObject;
}

/** Strict field validation refuses unknown fields; Warn reports them; either way they are pruned. */
function handleUnknown(unknown: readonly string[], fieldValidation: FieldValidation, warnings: string[]): void {
  if (unknown.length === 0) return;
  if (fieldValidation === "Strict") throw badRequest(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(", ")}`);
  if (fieldValidation === "Warn") warnings.push(...unknown.map((f) => `unknown field "${f}"`));
}

/** Validates an object about to be stored; throws the 422 (or 400 for strict unknown fields). */
export function validateForStorage(type: ResourceType, object: KubeObject, fieldValidation: FieldValidation, context: WriteContext = {}): ValidationOutcome {
  const causes = [...nameCauses(type.kind, object.metadata.name), ...labelCauses(object.metadata.labels), ...annotationCauses(object.metadata.annotations)];
  const warnings: string[] = [];
  let stored = object;
  const crdSchema = type.crd ? (type.crd.schemas.get(context.version ?? type.storageVersion) ?? type.crd.schemas.get(type.storageVersion)) : undefined;
  if (crdSchema) {
    // A CRD's schema is the truth for its kind: prune, default and check as kube-apiserver does.
    const pruned = pruneBySchema(crdSchema, object);
    handleUnknown(pruned.unknown, fieldValidation, warnings);
    stored = applySchemaDefaults(crdSchema, pruned.value) as KubeObject;
    causes.push(...validateBySchema(crdSchema, stored, context.current));
  } else if (type.custom && type.group === GATEWAY_API_GROUP) {
    causes.push(...validateGatewayApiObject(type.kind, stored));
  } else if (type.custom) {
    const schema = istioBodySchemaOf(type.kind);
    const unknown = unknownFields(schema, object);
    handleUnknown(unknown, fieldValidation, warnings);
    if (unknown.length > 0) stored = pruneUnknownFields(schema, object) as KubeObject;
    causes.push(...validateIstioObject(type.kind, stored));
  } else if (type.kind === "CustomResourceDefinition") {
    causes.push(...crdCauses(stored));
  } else {
    causes.push(...validateBuiltinObject(type.kind, stored));
  }
  if (causes.length > 0) throw invalid(type, object.metadata.name, causes);
  return { object: stored, warnings };
}
