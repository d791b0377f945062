import { z } from "zod";

/**
 * Building blocks for reading Kubernetes and Istio objects as people write them. Hand-written YAML
 * leaves maps and lists empty (`annotations:` parses as null), so absent, null and empty all read
 * as "nothing here". Objects are loose: unknown fields pass through untouched. Used by the
 * normalized schemas of the Istio kinds (lib/istio/<kind>.ts) and the validation's Kubernetes kinds.
 */
export function nullToEmptyObject(value: unknown): unknown {
  return value === null || value === undefined ? {} : value;
}

export function nullToEmptyArray(value: unknown): unknown {
  return value === null || value === undefined ? [] : value;
}

/** An object whose unknown fields are kept; null or absent reads as `{}`. */
export function section<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.preprocess(nullToEmptyObject, z.looseObject(shape));
}

/** A list; null or absent reads as `[]`. */
export function list<Item extends z.ZodType>(item: Item) {
  return z.preprocess(nullToEmptyArray, z.array(item));
}

/**
 * Kubernetes label and annotation values are strings; hand-written YAML often leaves a number or
 * boolean unquoted, which the API server would reject but the meaning is clear, so read it as text.
 */
const stringValue = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? "" : String(v)));

export const stringMap = z.preprocess(nullToEmptyObject, z.record(z.string(), stringValue));
export type StringMap = Record<string, string>;

export const metadataSchema = section({
  name: z.string().min(1, "expected a non-empty name"),
  namespace: z.string().optional(),
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: list(z.looseObject({ kind: z.string(), name: z.string() })),
});
export type Metadata = z.infer<typeof metadataSchema>;

/** `matchLabels`-style selector as used by Istio workload selectors. */
export const matchLabelsSchema = section({ matchLabels: stringMap });

export const portNumber = z.number().int().min(0).max(65535);

/**
 * Metadata as written, for objects the console reads and sends back: absent stays absent and
 * unknown fields (uid, generation, managedFields) pass through, so a write changes nothing it did
 * not mean to.
 */
export const writtenMetadataSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  resourceVersion: z.string().optional(),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
});
