/**
 * A CustomResourceDefinition's structural `openAPIV3Schema` applied to a write as kube-apiserver
 * applies it: null fields that may not be null dropped, `default`s filled in, unknown fields pruned
 * (or reported for strict field validation), then the value checked (types, enums, patterns,
 * formats, bounds, required fields, list keys) and, when it fits, the CEL rules run. Causes are
 * worded as kube-apiserver words them.
 * https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation
 */
import { z } from "zod";
import { compileRule, escapePropertyName, RuleCompileError, type CompiledRule, type ValidationRule } from "./cel";
import { isJsonObject, type JsonObject } from "./object";
import type { StatusCause } from "./status";

export interface StructuralSchema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  nullable?: boolean;
  default?: unknown;
  allOf?: StructuralSchema[];
  anyOf?: StructuralSchema[];
  oneOf?: StructuralSchema[];
  not?: StructuralSchema;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
  "x-kubernetes-validations"?: ValidationRule[];
}

const ruleSchema = z.looseObject({
  rule: z.string(),
  message: z.string().optional(),
  messageExpression: z.string().optional(),
  reason: z.enum(["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"]).optional(),
  fieldPath: z.string().optional(),
  optionalOldSelf: z.boolean().optional(),
});

function optional<T extends z.ZodType>(type: T, names: readonly string[]): Record<string, z.ZodOptional<T>> {
  return Object.fromEntries(names.map((name) => [name, type.optional()]));
}

/** JSONSchemaProps as a CRD carries them, parsed at the boundary (the CRD body). */
export const structuralSchemaSchema: z.ZodType<StructuralSchema> = z.lazy(() =>
  z.looseObject({
    ...optional(z.string(), ["type", "format", "description", "pattern", "x-kubernetes-list-type", "x-kubernetes-map-type"]),
    ...optional(z.number(), ["minimum", "maximum"]),
    ...optional(z.number().int(), ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]),
    ...optional(z.boolean(), ["exclusiveMinimum", "exclusiveMaximum", "nullable", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource"]),
    ...optional(z.array(structuralSchemaSchema), ["allOf", "anyOf", "oneOf"]),
    ...optional(z.array(z.string()), ["required", "x-kubernetes-list-map-keys"]),
    properties: z.record(z.string(), structuralSchemaSchema).optional(),
    additionalProperties: z.union([z.boolean(), structuralSchemaSchema]).optional(),
    items: structuralSchemaSchema.optional(),
    not: structuralSchemaSchema.optional(),
    enum: z.array(z.unknown()).optional(),
    default: z.unknown().optional(),
    "x-kubernetes-validations": z.array(ruleSchema).optional(),
  }),
) as z.ZodType<StructuralSchema>;

function childPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function mapKeyPath(parent: string, key: string): string {
  return `${parent}[${key}]`;
}

/** metadata is the API server's own business (ObjectMeta), whatever the schema says of it. */
const ROOT_KEPT = new Set(["apiVersion", "kind", "metadata"]);

/**
 * Drops nulls the schema does not allow and fills in defaults, top-down as kube-apiserver does:
 * a default applies only where the field is absent, and defaults inside a default-created object
 * apply too. https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting
 */
export function applySchemaDefaults(schema: StructuralSchema, value: unknown): unknown {
  if (Array.isArray(value)) return schema.items ? value.map((item) => applySchemaDefaults(schema.items as StructuralSchema, item)) : value;
  if (!isJsonObject(value)) return value;
  const out: JsonObject = { ...value };
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (out[key] === null && !child.nullable) {
      if (child.default !== undefined) out[key] = structuredClone(child.default);
      else delete out[key];
    } else if (out[key] === undefined && child.default !== undefined) {
      out[key] = structuredClone(child.default);
    }
    if (out[key] !== undefined && out[key] !== null) out[key] = applySchemaDefaults(child, out[key]);
  }
  if (isJsonObject(schema.additionalProperties)) {
    const childSchema = schema.additionalProperties;
    for (const [key, child] of Object.entries(out)) {
      if (schema.properties?.[key]) continue;
      out[key] = applySchemaDefaults(childSchema, child);
    }
  }
  return out;
}

/** Unknown fields as strict decoding names them (`spec.foo`), and the value with them pruned. */
export function pruneBySchema(schema: StructuralSchema, value: unknown, path = "", root = true): { value: unknown; unknown: string[] } {
  if (schema["x-kubernetes-preserve-unknown-fields"] && !schema.properties && !schema.additionalProperties) return { value, unknown: [] };
  if (Array.isArray(value)) {
    if (!schema.items) return { value, unknown: [] };
    const unknown: string[] = [];
    const items = value.map((item, i) => {
      const pruned = pruneBySchema(schema.items as StructuralSchema, item, `${path}[${i}]`, false);
      unknown.push(...pruned.unknown);
      return pruned.value;
    });
    return { value: items, unknown };
  }
  if (!isJsonObject(value)) return { value, unknown: [] };
  const unknown: string[] = [];
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const declared = schema.properties?.[key];
    if (root && ROOT_KEPT.has(key)) out[key] = child;
    else if (declared) {
      const pruned = pruneBySchema(declared, child, childPath(path, key), false);
      out[key] = pruned.value;
      unknown.push(...pruned.unknown);
    } else if (isJsonObject(schema.additionalProperties)) {
      const pruned = pruneBySchema(schema.additionalProperties, child, childPath(path, key), false);
      out[key] = pruned.value;
      unknown.push(...pruned.unknown);
    } else if (schema.additionalProperties === true || schema["x-kubernetes-preserve-unknown-fields"]) {
      out[key] = child;
    } else {
      unknown.push(childPath(path, key));
    }
  }
  return { value: out, unknown };
}

/** The Go type name kube-openapi reports for a value of the wrong type. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? "null");
}

function typeCause(path: string, expected: string, value: unknown): StatusCause {
  const actual = JSON.stringify(jsonTypeOf(value));
  return { reason: "FieldValueTypeInvalid", field: path, message: `Invalid value: ${actual}: ${path} in body must be of type ${expected}: ${actual}` };
}

function invalidCause(path: string, value: unknown, detail: string): StatusCause {
  return { reason: "FieldValueInvalid", field: path, message: `Invalid value: ${shown(value)}: ${path} in body ${detail}` };
}

const patterns = new Map<string, RegExp>();
/** CRD patterns are Go (RE2) regular expressions; the ones in use read the same in JavaScript. */
function patternOf(source: string): RegExp {
  let compiled = patterns.get(source);
  if (!compiled) {
    compiled = new RegExp(source);
    patterns.set(source, compiled);
  }
  return compiled;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const FORMATS: Readonly<Record<string, (value: string) => boolean>> = {
  "date-time": (v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v),
  int32: () => true,
  int64: () => true,
  byte: (v) => /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0,
  ipv4: (v) => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(v),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
};

function typeFits(schema: StructuralSchema, value: unknown): string | undefined {
  if (value === null) return schema.nullable ? undefined : (schema.type ?? "object");
  if (schema["x-kubernetes-int-or-string"]) {
    return typeof value === "string" || (typeof value === "number" && Number.isInteger(value)) ? undefined : "integer,string";
  }
  switch (schema.type) {
    case "object":
      return isJsonObject(value) ? undefined : "object";
    case "array":
      return Array.isArray(value) ? undefined : "array";
    case "string":
      return typeof value === "string" ? undefined : "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value) ? undefined : "integer";
    case "number":
      return typeof value === "number" ? undefined : "number";
    case "boolean":
      return typeof value === "boolean" ? undefined : "boolean";
    default:
      return undefined;
  }
}

/** The value checks of one node (not its children). */
function nodeCauses(schema: StructuralSchema, value: unknown, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    causes.push({ reason: "FieldValueNotSupported", field: path, message: `Unsupported value: ${shown(value)}: supported values: ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}` });
  }
  if (typeof value === "string") {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      causes.push({ reason: "FieldValueTooLong", field: path, message: `Too long: may not be more than ${schema.maxLength} bytes` });
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) causes.push(invalidCause(path, value, `should be at least ${schema.minLength} chars long`));
    if (schema.pattern !== undefined && !patternOf(schema.pattern).test(value)) causes.push(invalidCause(path, value, `should match '${schema.pattern}'`));
    const format = schema.format ? FORMATS[schema.format] : undefined;
    if (format && !format(value)) causes.push(invalidCause(path, value, `must be of type ${schema.format}: ${shown(value)}`));
  }
  if (typeof value === "number") {
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) {
      causes.push(invalidCause(path, value, `should be less than ${schema.exclusiveMaximum ? "" : "or equal to "}${schema.maximum}`));
    }
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) {
      causes.push(invalidCause(path, value, `should be greater than ${schema.exclusiveMinimum ? "" : "or equal to "}${schema.minimum}`));
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      causes.push({ reason: "FieldValueTooMany", field: path, message: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) causes.push(invalidCause(path, value.length, `should have at least ${schema.minItems} items`));
    causes.push(...listKeyCauses(schema, value, path));
  }
  if (isJsonObject(value)) {
    const count = Object.keys(value).length;
    if (schema.maxProperties !== undefined && count > schema.maxProperties) {
      causes.push({ reason: "FieldValueTooMany", field: path, message: `Too many: ${count}: must have at most ${schema.maxProperties} items` });
    }
    if (schema.minProperties !== undefined && count < schema.minProperties) causes.push(invalidCause(path, count, `should have at least ${schema.minProperties} properties`));
    for (const required of schema.required ?? []) {
      if (value[required] === undefined) causes.push({ reason: "FieldValueRequired", field: childPath(path, required), message: "Required value" });
    }
  }
  for (const part of schema.allOf ?? []) causes.push(...valueCauses(part, value, path));
  if (schema.anyOf && !schema.anyOf.some((part) => valueCauses(part, value, path).length === 0)) causes.push(invalidCause(path, value, "must validate at least one schema (anyOf)"));
  if (schema.oneOf && schema.oneOf.filter((part) => valueCauses(part, value, path).length === 0).length !== 1) causes.push(invalidCause(path, value, "must validate one and only one schema (oneOf)"));
  if (schema.not && valueCauses(schema.not, value, path).length === 0) causes.push(invalidCause(path, value, "must not validate the schema (not)"));
  return causes;
}

/** Go's %#v of a list-map key, which kube-apiserver prints for duplicates. */
function goMapLiteral(keys: JsonObject): string {
  return `map[string]interface {}{${Object.entries(keys).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(", ")}}`;
}

function listKeyCauses(schema: StructuralSchema, list: unknown[], path: string): StatusCause[] {
  const listType = schema["x-kubernetes-list-type"];
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    let key: string;
    let described: string;
    if (listType === "set") {
      key = JSON.stringify(item);
      described = shown(item);
    } else if (listType === "map" && isJsonObject(item)) {
      const keys: JsonObject = {};
      for (const name of schema["x-kubernetes-list-map-keys"] ?? []) if (item[name] !== undefined) keys[name] = item[name];
      key = JSON.stringify(keys);
      described = goMapLiteral(keys);
    } else {
      return;
    }
    if (seen.has(key)) causes.push({ reason: "FieldValueDuplicate", field: `${path}[${i}]`, message: `Duplicate value: ${described}` });
    seen.add(key);
  });
  return causes;
}

/** Type and value checks of a whole subtree, without CEL. */
function valueCauses(schema: StructuralSchema, value: unknown, path: string): StatusCause[] {
  const expected = typeFits(schema, value);
  if (expected) return [typeCause(path, expected, value)];
  if (value === null) return [];
  const causes = nodeCauses(schema, value, path);
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => causes.push(...valueCauses(schema.items as StructuralSchema, item, `${path}[${i}]`)));
  } else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const declared = schema.properties?.[key];
      if (declared) causes.push(...valueCauses(declared, child, childPath(path, key)));
      else if (isJsonObject(schema.additionalProperties)) causes.push(...valueCauses(schema.additionalProperties, child, mapKeyPath(path, key)));
    }
  }
  return causes;
}

/**
 * A value as CEL sees it under its schema: integers as CEL ints, objects with declared properties
 * as maps with escaped names, maps as maps, lists as lists.
 */
export function toCel(schema: StructuralSchema | undefined, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => toCel(schema?.items, item));
  if (typeof value === "number") {
    const integer = schema?.type === "integer" || schema?.["x-kubernetes-int-or-string"] || (!schema?.type && Number.isInteger(value));
    return integer && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (isJsonObject(value)) {
    const entries: [string, unknown][] = [];
    for (const [key, child] of Object.entries(value)) {
      const declared = schema?.properties?.[key];
      if (declared) entries.push([escapePropertyName(key), toCel(declared, child)]);
      else if (isJsonObject(schema?.additionalProperties)) entries.push([key, toCel(schema.additionalProperties, child)]);
      else entries.push([key, toCel(undefined, child)]);
    }
    return new Map(entries);
  }
  return value;
}

/** Compiled rules per schema node, kept with the schema so a CRD's rules compile once. */
const compiledRules = new WeakMap<StructuralSchema, CompiledRule[]>();

function rulesOf(schema: StructuralSchema): CompiledRule[] {
  let compiled = compiledRules.get(schema);
  if (!compiled) {
    compiled = (schema["x-kubernetes-validations"] ?? []).map(compileRule);
    compiledRules.set(schema, compiled);
  }
  return compiled;
}

/** Where a schema's CEL rule does not compile: the path of the rule in the schema and why. */
export interface RuleProblem {
  path: string;
  rule: string;
  error: string;
}

/** Compiles every rule of a schema; the problems are the rules that do not compile. */
export function compileSchemaRules(schema: StructuralSchema, path = "openAPIV3Schema"): RuleProblem[] {
  const problems: RuleProblem[] = [];
  (schema["x-kubernetes-validations"] ?? []).forEach((rule, i) => {
    try {
      compileRule(rule);
    } catch (error) {
      if (!(error instanceof RuleCompileError)) throw error;
      problems.push({ path: `${path}.x-kubernetes-validations[${i}].rule`, rule: rule.rule, error: error.message });
    }
  });
  for (const [key, child] of Object.entries(schema.properties ?? {})) problems.push(...compileSchemaRules(child, `${path}.properties[${key}]`));
  if (isJsonObject(schema.additionalProperties)) problems.push(...compileSchemaRules(schema.additionalProperties, `${path}.additionalProperties`));
  if (schema.items) problems.push(...compileSchemaRules(schema.items, `${path}.items`));
  for (const part of [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) problems.push(...compileSchemaRules(part, path));
  return problems;
}

/** The CEL type name kube-apiserver shows as the invalid value of a failed rule. */
function celTypeName(schema: StructuralSchema): string {
  if (schema["x-kubernetes-int-or-string"]) return "integer";
  return schema.type ?? "object";
}

/** `.spec.foo['bar']` relative to the rule's node, as the rule's fieldPath names it. */
function joinFieldPath(path: string, fieldPath: string | undefined): string {
  if (!fieldPath) return path;
  const relative = fieldPath.replace(/^\./, "").replace(/\['([^']*)'\]/g, ".$1");
  return path ? `${path}.${relative}` : relative;
}

function ruleCause(rule: CompiledRule, schema: StructuralSchema, path: string, self: unknown, oldSelf: unknown): StatusCause {
  const field = joinFieldPath(path, rule.source.fieldPath);
  const text = rule.message(self as never, oldSelf as never) ?? `failed rule: ${rule.source.rule}`;
  switch (rule.source.reason) {
    case "FieldValueForbidden":
      return { reason: "FieldValueForbidden", field, message: `Forbidden: ${text}` };
    case "FieldValueRequired":
      return { reason: "FieldValueRequired", field, message: `Required value: ${text}` };
    case "FieldValueDuplicate":
      return { reason: "FieldValueDuplicate", field, message: `Duplicate value: ${text}` };
    default:
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${JSON.stringify(celTypeName(schema))}: ${text}` };
  }
}

/**
 * The old value that corresponds to a new list item for transition rules: list-map items by their
 * keys, set items by value; items of atomic lists have none.
 */
function correlatedItem(schema: StructuralSchema, oldList: unknown, item: unknown): unknown {
  if (!Array.isArray(oldList)) return undefined;
  const listType = schema["x-kubernetes-list-type"];
  if (listType === "map" && isJsonObject(item)) {
    const keys = schema["x-kubernetes-list-map-keys"] ?? [];
    return oldList.find((old) => isJsonObject(old) && keys.every((k) => JSON.stringify(old[k]) === JSON.stringify(item[k])));
  }
  if (listType === "set") return oldList.find((old) => JSON.stringify(old) === JSON.stringify(item));
  return undefined;
}

function celCauses(schema: StructuralSchema, value: unknown, oldValue: unknown, path: string): StatusCause[] {
  if (value === null || value === undefined) return [];
  const causes: StatusCause[] = [];
  const rules = rulesOf(schema);
  if (rules.length > 0) {
    const self = toCel(schema, value);
    const oldSelf = oldValue === undefined ? undefined : toCel(schema, oldValue);
    for (const rule of rules) {
      if (rule.transition && oldSelf === undefined && !rule.source.optionalOldSelf) continue;
      const result = rule.evaluate(self as never, oldSelf as never);
      if (result instanceof Error) {
        causes.push({ reason: "FieldValueInvalid", field: path, message: `Invalid value: ${JSON.stringify(celTypeName(schema))}: failed rule: ${rule.source.rule}: ${result.message}` });
      } else if (result !== true) {
        causes.push(ruleCause(rule, schema, path, self, oldSelf));
      }
    }
  }
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, i) => causes.push(...celCauses(items, item, correlatedItem(schema, oldValue, item), `${path}[${i}]`)));
  } else if (isJsonObject(value)) {
    const old = isJsonObject(oldValue) ? oldValue : undefined;
    for (const [key, child] of Object.entries(value)) {
      const declared = schema.properties?.[key];
      if (declared) causes.push(...celCauses(declared, child, old?.[key], childPath(path, key)));
      else if (isJsonObject(schema.additionalProperties)) causes.push(...celCauses(schema.additionalProperties, child, old?.[key], mapKeyPath(path, key)));
    }
  }
  return causes;
}

/** Metadata is checked by the API server's own rules; the schema may say no more of it than name and generateName. */
function withoutMetadata(value: JsonObject): JsonObject {
  const { metadata: _metadata, apiVersion: _apiVersion, kind: _kind, ...rest } = value;
  return rest;
}

/**
 * The causes of a 422 for an object under its CRD's schema: schema errors first; the CEL rules
 * run when the schema is satisfied (their inputs are then well-typed). `old` is the stored object
 * on updates, for transition rules.
 */
export function validateBySchema(schema: StructuralSchema, object: JsonObject, old: JsonObject | undefined): StatusCause[] {
  const body = withoutMetadata(object);
  const rootSchema: StructuralSchema = { ...schema, properties: Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => !ROOT_KEPT.has(k))) };
  const schemaCauses = valueCauses(rootSchema, body, "");
  if (schemaCauses.length > 0) return schemaCauses;
  return celCauses(rootSchema, body, old ? withoutMetadata(old) : undefined, "");
}
