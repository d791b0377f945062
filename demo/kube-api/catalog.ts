/**
 * The kinds one API server serves right now: the built-in ones, plus those CustomResourceDefinitions
 * define (a CRD for a kind already served, such as a built-in Gateway API kind, replaces it), minus
 * those whose CRD was deleted. Routing, discovery, seeding and the registry all ask the catalog.
 */
import { RESOURCE_TYPES, typeKey, type ResourceType } from "./resources";

export class ResourceCatalog {
  private types: ResourceType[];
  private readonly builtins: ReadonlyMap<string, ResourceType>;

  constructor(builtins: readonly ResourceType[] = RESOURCE_TYPES) {
    this.types = [...builtins];
    this.builtins = new Map(builtins.map((t) => [typeKey(t), t]));
  }

  all(): readonly ResourceType[] {
    return this.types;
  }

  /** Serves `type`, replacing the kind of the same group and plural if there is one. */
  install(type: ResourceType): void {
    const key = typeKey(type);
    const index = this.types.findIndex((t) => typeKey(t) === key);
    if (index >= 0) this.types[index] = type;
    else this.types.push(type);
  }

  /** Stops serving a kind (its CRD was deleted). */
  remove(group: string, plural: string): ResourceType | undefined {
    const index = this.types.findIndex((t) => t.group === group && t.plural === plural);
    if (index < 0) return undefined;
    const [removed] = this.types.splice(index, 1);
    return removed;
  }

  /** The built-in definition of a kind, served or not. */
  builtin(group: string, plural: string): ResourceType | undefined {
    return this.builtins.get(`${group}/${plural}`);
  }

  /** The served kind of a group and plural, whatever version. */
  byGroupPlural(group: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.plural === plural);
  }

  findByPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.plural === plural && t.versions.includes(version));
  }

  /** Finds the type of an object from its apiVersion and kind (seed files, request bodies). */
  findByKind(apiVersion: string, kind: string): ResourceType | undefined {
    const slash = apiVersion.indexOf("/");
    const group = slash < 0 ? "" : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    return this.types.find((t) => t.group === group && t.kind === kind && t.versions.includes(version));
  }

  /** Groups in the order discovery lists them (built-in groups first, then as kinds were added). */
  servedGroups(): string[] {
    const groups: string[] = [];
    for (const t of this.types) if (t.group && !groups.includes(t.group)) groups.push(t.group);
    return groups;
  }

  /** A group's served versions, by Kubernetes' version priority (GA, then beta, then alpha; higher first). */
  versionsOfGroup(group: string): string[] {
    const versions: string[] = [];
    for (const t of this.types) {
      if (t.group !== group) continue;
      for (const v of t.versions) if (!versions.includes(v)) versions.push(v);
    }
    return versions.sort(compareKubeVersions);
  }
}

const VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes' version priority: v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else (by name).
 * https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/#version-priority
 */
export function compareKubeVersions(a: string, b: string): number {
  const ma = VERSION.exec(a);
  const mb = VERSION.exec(b);
  if (!ma || !mb) return ma ? -1 : mb ? 1 : a.localeCompare(b);
  const stage = (m: RegExpExecArray) => (m[2] === undefined ? 2 : m[2] === "beta" ? 1 : 0);
  if (stage(ma) !== stage(mb)) return stage(mb) - stage(ma);
  if (ma[1] !== mb[1]) return Number(mb[1]) - Number(ma[1]);
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}
