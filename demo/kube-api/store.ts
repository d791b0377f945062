/**
 * In-memory storage, one per kind whatever version is asked, with a single cluster-wide
 * resourceVersion counter as etcd's revision provides. resourceVersions are opaque strings to
 * clients; here they are increasing integers so watches can resume from one.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 */
import type { KubeObject } from "./object";
import type { ResourceType } from "./resources";
import { WatchHub, type WatchEventType } from "./watch-hub";

class KindStore {
  readonly byNamespace = new Map<string, Map<string, KubeObject>>();
  private sorted = new Map<string, KubeObject[]>();

  get(namespace: string, name: string): KubeObject | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  set(namespace: string, object: KubeObject): void {
    let names = this.byNamespace.get(namespace);
    if (!names) {
      names = new Map();
      this.byNamespace.set(namespace, names);
    }
    names.set(object.metadata.name, object);
    this.sorted.clear();
  }

  delete(namespace: string, name: string): void {
    const names = this.byNamespace.get(namespace);
    if (!names) return;
    names.delete(name);
    if (names.size === 0) this.byNamespace.delete(namespace);
    this.sorted.clear();
  }

  /** Objects ordered by namespace then name, as etcd's key order gives them; cached between writes. */
  list(namespace: string | undefined): KubeObject[] {
    const cacheKey = namespace ?? "\u0000all";
    const cached = this.sorted.get(cacheKey);
    if (cached) return cached;
    let objects: KubeObject[];
    if (namespace !== undefined) {
      objects = [...(this.byNamespace.get(namespace)?.values() ?? [])].sort(byName);
    } else {
      objects = [];
      for (const ns of [...this.byNamespace.keys()].sort()) {
        objects.push(...[...(this.byNamespace.get(ns)?.values() ?? [])].sort(byName));
      }
    }
    this.sorted.set(cacheKey, objects);
    return objects;
  }

  count(): number {
    let n = 0;
    for (const names of this.byNamespace.values()) n += names.size;
    return n;
  }
}

function byName(a: KubeObject, b: KubeObject): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export class ObjectStore {
  private revision = 0;
  private readonly kinds = new Map<ResourceType, KindStore>();
  readonly hub: WatchHub;

  constructor(historyLimit: number) {
    this.hub = new WatchHub(historyLimit);
  }

  currentRevision(): number {
    return this.revision;
  }

  private kind(type: ResourceType): KindStore {
    let store = this.kinds.get(type);
    if (!store) {
      store = new KindStore();
      this.kinds.set(type, store);
    }
    return store;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.kind(type).get(namespace ?? "", name);
  }

  /** All objects of a kind (in one namespace when given), sorted. The array must not be modified. */
  list(type: ResourceType, namespace?: string): readonly KubeObject[] {
    return this.kind(type).list(namespace);
  }

  count(type: ResourceType): number {
    return this.kind(type).count();
  }

  /** Objects of a kind in one namespace, unordered and without copying: for controllers' hot paths. */
  inNamespace(type: ResourceType, namespace: string): Iterable<KubeObject> {
    return this.kind(type).byNamespace.get(namespace)?.values() ?? [];
  }

  /**
   * Stores a new or replaced object under the next resourceVersion and tells watchers.
   * The caller hands over ownership of `object`; it is never modified afterwards.
   */
  put(type: ResourceType, object: KubeObject, eventType: Exclude<WatchEventType, "DELETED">): KubeObject {
    const namespace = object.metadata.namespace ?? "";
    const kind = this.kind(type);
    const previous = kind.get(namespace, object.metadata.name);
    this.revision++;
    object.metadata.resourceVersion = String(this.revision);
    kind.set(namespace, object);
    this.hub.publish({ rv: this.revision, type, eventType, object, previous });
    return object;
  }

  /** Removes an object; the DELETED event carries it with the deletion's resourceVersion, as Kubernetes does. */
  remove(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const kind = this.kind(type);
    const existing = kind.get(namespace ?? "", name);
    if (!existing) return undefined;
    this.revision++;
    const deleted: KubeObject = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(this.revision) } };
    kind.delete(namespace ?? "", name);
    this.hub.publish({ rv: this.revision, type, eventType: "DELETED", object: deleted, previous: existing });
    return deleted;
  }
}
