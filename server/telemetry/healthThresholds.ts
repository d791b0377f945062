/**
 * Which health rules judge an object (lib/health.ts): the console's setting
 * (MESH_CONSOLE_HEALTH_THRESHOLDS), then its namespace's annotation, then the Service's or
 * Deployment's own, each rule replacing an inherited one with the same protocol and codes, as
 * Kiali's health configuration does per namespace and object (kiali/kiali#1424). Annotations come
 * from the console's watch caches, so judging a list of a thousand rows costs no Kubernetes call.
 * A wrong annotation never breaks a page: it is ignored, and a note says which object and why.
 */
import type { WatchedResource } from "@/server/kube/informers";
import { DEFAULT_HEALTH_THRESHOLDS, HEALTH_ANNOTATION, healthThresholdsSchema, mergeHealthThresholds, type HealthRule, type HealthThresholds } from "@/lib/health";

/** The annotation texts of the objects that may carry health rules, by "namespace/name" (namespaces by name). */
export interface HealthAnnotations {
  namespaces: ReadonlyMap<string, string>;
  services: ReadonlyMap<string, string>;
  workloads: ReadonlyMap<string, string>;
}

export interface HealthSettings {
  /** The console's setting, already merged over the defaults. */
  global: HealthThresholds;
  annotations: HealthAnnotations;
}

export interface JudgedBy {
  rules: HealthRule[];
  /** Annotations that were ignored, and why. */
  notes: string[];
}

export type HealthTargetKind = "service" | "workload" | "app";

export const NO_HEALTH_ANNOTATIONS: HealthAnnotations = { namespaces: new Map(), services: new Map(), workloads: new Map() };

/** Today's rule for everything: what judges objects when no settings are given (tests, tools). */
export const DEFAULT_HEALTH_SETTINGS: HealthSettings = { global: DEFAULT_HEALTH_THRESHOLDS, annotations: NO_HEALTH_ANNOTATIONS };

interface AnnotatedObject {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> | null };
}

/** The health annotations among `objects`, by "namespace/name" (or name, for namespaces). */
export function healthAnnotationsOf(objects: readonly AnnotatedObject[], keyBy: "name" | "namespace/name"): Map<string, string> {
  const found = new Map<string, string>();
  for (const object of objects) {
    const text = object.metadata?.annotations?.[HEALTH_ANNOTATION];
    if (text === undefined) continue;
    const name = object.metadata?.name ?? "";
    found.set(keyBy === "name" ? name : `${object.metadata?.namespace ?? ""}/${name}`, text);
  }
  return found;
}

function layer(rules: HealthRule[], notes: string[], text: string | undefined, what: string): HealthRule[] {
  if (text === undefined) return rules;
  const parsed = healthThresholdsSchema.safeParse(text);
  if (parsed.success) return mergeHealthThresholds(rules, parsed.data);
  notes.push(`The ${HEALTH_ANNOTATION} annotation on ${what} is ignored: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`);
  return rules;
}

/** The rules for one object. Apps have no object of their own: their namespace's rules judge them. */
export function healthRulesFor(settings: HealthSettings, kind: HealthTargetKind, namespace: string, name: string): JudgedBy {
  const notes: string[] = [];
  let rules = layer([...settings.global], notes, settings.annotations.namespaces.get(namespace), `Namespace ${namespace}`);
  if (kind === "service") rules = layer(rules, notes, settings.annotations.services.get(`${namespace}/${name}`), `Service ${namespace}/${name}`);
  if (kind === "workload") rules = layer(rules, notes, settings.annotations.workloads.get(`${namespace}/${name}`), `Deployment ${namespace}/${name}`);
  return { rules, notes };
}

/**
 * The console's own settings: its configuration and the annotations in its watch caches for
 * `namespaces`. Imported lazily so query builders and their tests stay free of both.
 */
export async function consoleHealthSettings(namespaces: readonly string[]): Promise<HealthSettings> {
  const [{ getConfig }, { meshCaches, MESH_RESOURCES }] = await Promise.all([import("@/server/config"), import("@/server/kube/informers")]);
  const global = getConfig().healthThresholds;
  try {
    return { global, annotations: annotationsFromCaches(meshCaches(), MESH_RESOURCES, namespaces) };
  } catch (error) {
    // Without the caches, objects are judged by the console's setting alone.
    console.warn(`Health annotations could not be read from the watch caches: ${error instanceof Error ? error.message : String(error)}`);
    return { global, annotations: NO_HEALTH_ANNOTATIONS };
  }
}

type Caches = { list(resource: WatchedResource, namespace?: string): readonly AnnotatedObject[] };

function annotationsFromCaches(caches: Caches, resources: readonly WatchedResource[], namespaces: readonly string[]): HealthAnnotations {
  const watched = (plural: string) => resources.find((resource) => resource.plural === plural && !resource.namespace);
  const list = (plural: string, inNamespaces: boolean) => {
    const resource = watched(plural);
    if (!resource) return [];
    return inNamespaces && namespaces.length > 0 ? namespaces.flatMap((namespace) => caches.list(resource, namespace)) : caches.list(resource);
  };
  const wanted = new Set(namespaces);
  return {
    namespaces: healthAnnotationsOf(list("namespaces", false).filter((object) => wanted.size === 0 || wanted.has(object.metadata?.name ?? "")), "name"),
    services: healthAnnotationsOf(list("services", true), "namespace/name"),
    workloads: healthAnnotationsOf(list("deployments", true), "namespace/name"),
  };
}
