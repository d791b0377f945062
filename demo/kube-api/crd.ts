/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1): checked on write, given the status
 * kube-apiserver gives them (`NamesAccepted`, `Established`, `acceptedNames`, `storedVersions`),
 * and turned into served kinds: from the moment a CRD is stored its kind is served per the CRD
 * (versions and their `served` flags, scope, names, status subresource, printer columns) and its
 * objects are validated with the CRD's structural schema and CEL rules; deleting the CRD deletes
 * its objects and stops serving the kind.
 * https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
 */
import { z } from "zod";
import { compareKubeVersions } from "./catalog";
import type { KubeObject } from "./object";
import type { Controller, Defaulter, Registry } from "./registry";
import { CUSTOM_RESOURCE_DEFINITION_TYPE, typeKey, type PrinterColumn, type ResourceType } from "./resources";
import type { StatusCause } from "./status";
import { compileSchemaRules, structuralSchemaSchema, type StructuralSchema } from "./structural-schema";

const namesSchema = z.looseObject({
  plural: z.string().min(1),
  singular: z.string().optional(),
  kind: z.string().min(1),
  listKind: z.string().optional(),
  shortNames: z.array(z.string()).optional(),
  categories: z.array(z.string()).optional(),
});

const printerColumnSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  jsonPath: z.string(),
  description: z.string().optional(),
  priority: z.number().int().optional(),
});

const versionSchema = z.looseObject({
  name: z.string().min(1),
  served: z.boolean(),
  storage: z.boolean(),
  schema: z.looseObject({ openAPIV3Schema: structuralSchemaSchema }).optional(),
  subresources: z.looseObject({ status: z.looseObject({}).optional() }).optional(),
  additionalPrinterColumns: z.array(printerColumnSchema).optional(),
});

export const crdSpecSchema = z.looseObject({
  group: z.string().min(1),
  names: namesSchema,
  scope: z.enum(["Namespaced", "Cluster"]),
  versions: z.array(versionSchema).min(1),
});
export type CrdSpec = z.infer<typeof crdSpecSchema>;

/** Groups the API server serves itself: a CRD may not define kinds there. */
const RESERVED_GROUPS = new Set(["", "apps", "apiextensions.k8s.io", "authorization.k8s.io"]);

/** The causes of a 422 for a CRD body, as kube-apiserver's CRD validation words the common ones. */
export function crdCauses(object: KubeObject): StatusCause[] {
  const parsed = crdSpecSchema.safeParse(object.spec);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => {
      const field = ["spec", ...issue.path.map(String)].join(".");
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${issue.message}` };
    });
  }
  const spec = parsed.data;
  const causes: StatusCause[] = [];
  const expectedName = `${spec.names.plural}.${spec.group}`;
  if (object.metadata.name !== expectedName) {
    causes.push({ reason: "FieldValueInvalid", field: "metadata.name", message: `Invalid value: ${JSON.stringify(object.metadata.name)}: must be spec.names.plural+"."+spec.group` });
  }
  if (RESERVED_GROUPS.has(spec.group)) {
    causes.push({ reason: "FieldValueInvalid", field: "spec.group", message: `Invalid value: ${JSON.stringify(spec.group)}: is served by the API server itself` });
  }
  const storage = spec.versions.filter((v) => v.storage);
  if (storage.length !== 1) {
    causes.push({ reason: "FieldValueInvalid", field: "spec.versions", message: `Invalid value: ${JSON.stringify(spec.versions.map((v) => v.name))}: must have exactly one version marked as storage version` });
  }
  spec.versions.forEach((version, i) => {
    const schema = version.schema?.openAPIV3Schema;
    if (!schema) {
      causes.push({ reason: "FieldValueRequired", field: `spec.versions[${i}].schema.openAPIV3Schema`, message: "Required value: schemas are required" });
      return;
    }
    for (const problem of compileSchemaRules(schema, `spec.versions[${i}].schema.openAPIV3Schema`)) {
      causes.push({ reason: "FieldValueInvalid", field: problem.path, message: `Invalid value: ${JSON.stringify(problem.rule)}: ${problem.error}` });
    }
  });
  return causes;
}

/** The kind a valid CRD defines. */
export function typeFromCrd(name: string, spec: CrdSpec): ResourceType {
  const served = spec.versions.filter((v) => v.served);
  const storage = spec.versions.find((v) => v.storage) ?? spec.versions[0];
  const schemas = new Map<string, StructuralSchema>();
  for (const version of served) if (version.schema) schemas.set(version.name, version.schema.openAPIV3Schema);
  const preferred = served.map((v) => v.name).sort(compareKubeVersions);
  const columnsVersion = served.find((v) => v.name === preferred[0]) ?? storage;
  const columns: PrinterColumn[] = columnsVersion?.additionalPrinterColumns ?? [{ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" }];
  return {
    group: spec.group,
    versions: preferred,
    storageVersion: storage?.name ?? preferred[0] ?? "v1",
    kind: spec.names.kind,
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    namespaced: spec.scope === "Namespaced",
    shortNames: spec.names.shortNames ?? [],
    categories: spec.names.categories ?? [],
    custom: true,
    tracksGeneration: true,
    statusSubresource: served.some((v) => v.subresources?.status !== undefined),
    printerColumns: columns,
    crd: { name, schemas },
  };
}

function condition(type: string, status: "True" | "False", reason: string, message: string, now: string) {
  return { type, status, lastTransitionTime: now, reason, message };
}

/**
 * The status kube-apiserver's CRD controllers write: names accepted unless another CRD already
 * claims them, then established. Existing transition times are kept while a condition holds.
 */
function crdStatus(registry: Registry, object: KubeObject, spec: CrdSpec, previous: unknown): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const others = registry.store.list(CUSTOM_RESOURCE_DEFINITION_TYPE, undefined).filter((o) => o.metadata.name !== object.metadata.name);
  const clash = others.find((other) => {
    const parsed = crdSpecSchema.safeParse(other.spec);
    if (!parsed.success || parsed.data.group !== spec.group) return false;
    const theirs = [parsed.data.names.plural, parsed.data.names.singular, ...(parsed.data.names.shortNames ?? [])];
    return [spec.names.plural, spec.names.singular, ...(spec.names.shortNames ?? [])].some((n) => n !== undefined && theirs.includes(n)) || parsed.data.names.kind === spec.names.kind;
  });
  const previousConditions = (previous as { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } | undefined)?.conditions ?? [];
  const since = (type: string, status: string) => previousConditions.find((c) => c.type === type && c.status === status)?.lastTransitionTime ?? now;
  const conditions = clash
    ? [
        { ...condition("NamesAccepted", "False", "NameConflict", `"${spec.names.plural}" is already in use`, now), lastTransitionTime: since("NamesAccepted", "False") },
        { ...condition("Established", "False", "NotAccepted", "not all names are accepted", now), lastTransitionTime: since("Established", "False") },
      ]
    : [
        { ...condition("NamesAccepted", "True", "NoConflicts", "no conflicts found", now), lastTransitionTime: since("NamesAccepted", "True") },
        { ...condition("Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now), lastTransitionTime: since("Established", "True") },
      ];
  const storage = spec.versions.find((v) => v.storage)?.name;
  const storedBefore = (previous as { storedVersions?: string[] } | undefined)?.storedVersions ?? [];
  return {
    conditions,
    acceptedNames: clash ? { plural: "", kind: "" } : { ...spec.names, singular: spec.names.singular ?? spec.names.kind.toLowerCase(), listKind: spec.names.listKind ?? `${spec.names.kind}List` },
    storedVersions: storage && !storedBefore.includes(storage) ? [...storedBefore, storage] : storedBefore,
  };
}

function isEstablished(object: KubeObject): boolean {
  const conditions = (object.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === "Established" && c.status === "True");
}

/** Fills in a CRD's status on every write (the status is the API server's, not the client's). */
export function createCrdDefaulter(): Defaulter {
  return (registry, type, object, current) => {
    if (typeKey(type) !== typeKey(CUSTOM_RESOURCE_DEFINITION_TYPE)) return;
    const parsed = crdSpecSchema.safeParse(object.spec);
    if (!parsed.success) return;
    object.status = crdStatus(registry, object, parsed.data, current?.status);
  };
}

/** Serves the kinds of established CRDs, and stops serving (deleting their objects) when a CRD goes. */
export function createCrdController(): Controller {
  return (registry, type, object, deleted) => {
    if (typeKey(type) !== typeKey(CUSTOM_RESOURCE_DEFINITION_TYPE)) return;
    const parsed = crdSpecSchema.safeParse(object.spec);
    if (!parsed.success) return;
    const spec = parsed.data;
    const served = registry.catalog.byGroupPlural(spec.group, spec.names.plural);
    if (deleted) {
      if (!served) return;
      for (const item of [...registry.store.list(served, undefined)]) registry.store.remove(served, item.metadata.namespace, item.metadata.name);
      registry.catalog.remove(spec.group, spec.names.plural);
      return;
    }
    if (!isEstablished(object)) return;
    registry.catalog.install(typeFromCrd(object.metadata.name, spec));
  };
}
