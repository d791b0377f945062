/**
 * Fields a structural schema does not declare. The API server prunes them from custom resources,
 * warning about them or, under `fieldValidation=Strict` (kubectl's default), rejecting the
 * request. https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
 */
import { isJsonObject } from "./object";

/** The part of an OpenAPI v3 schema node the walk needs; CRDs and the Istio models share this shape. */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

function fieldPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/** Lists unknown fields in `value` as dotted paths (`spec.http[0].foo`), the way strict decoding names them. */
export function unknownFields(schema: SchemaNode | undefined, value: unknown, path = ""): string[] {
  if (!schema || schema["x-kubernetes-preserve-unknown-fields"]) return [];
  if (Array.isArray(value)) {
    return schema.items ? value.flatMap((item, i) => unknownFields(schema.items, item, `${path}[${i}]`)) : [];
  }
  if (!isJsonObject(value)) return [];
  const found: string[] = [];
  const properties = schema.properties;
  const additional = schema.additionalProperties;
  for (const [key, child] of Object.entries(value)) {
    const declared = properties?.[key];
    if (declared) {
      found.push(...unknownFields(declared, child, fieldPath(path, key)));
    } else if (isJsonObject(additional)) {
      found.push(...unknownFields(additional as SchemaNode, child, fieldPath(path, key)));
    } else if (properties && additional !== true) {
      found.push(fieldPath(path, key));
    }
  }
  return found;
}

/** Removes the fields `unknownFields` reports, as the API server's pruning does. */
export function pruneUnknownFields(schema: SchemaNode | undefined, value: unknown): unknown {
  if (!schema || schema["x-kubernetes-preserve-unknown-fields"]) return value;
  if (Array.isArray(value)) return schema.items ? value.map((item) => pruneUnknownFields(schema.items, item)) : value;
  if (!isJsonObject(value)) return value;
  const properties = schema.properties;
  const additional = schema.additionalProperties;
  const pruned: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const declared = properties?.[key];
    if (declared) pruned[key] = pruneUnknownFields(declared, child);
    else if (isJsonObject(additional)) pruned[key] = pruneUnknownFields(additional as SchemaNode, child);
    else if (!properties || additional === true) pruned[key] = child;
  }
  return pruned;
}
