import { kindNames, type InvalidObject, type KindName, type MeshObject } from "./objects";

/**
 * The objects a snapshot is built on, kept per kind with a version counter per kind so that
 * indexes (and rules) over kinds that did not change can be reused after an update.
 */
export class ObjectStore {
  private readonly byKind = new Map<KindName, Map<string, MeshObject>>();
  private readonly sorted = new Map<KindName, readonly MeshObject[]>();
  private readonly versions = new Map<KindName, number>();
  private readonly invalidByKey = new Map<string, InvalidObject>();
  private invalidSorted: readonly InvalidObject[] | undefined;
  private invalidVersion = 0;

  constructor() {
    for (const kind of kindNames) {
      this.byKind.set(kind, new Map());
      this.versions.set(kind, 0);
    }
  }

  list<K extends KindName>(kind: K): readonly MeshObject<K>[] {
    let objects = this.sorted.get(kind);
    if (!objects) {
      objects = [...(this.byKind.get(kind)?.values() ?? [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this.sorted.set(kind, objects);
    }
    return objects as readonly MeshObject<K>[];
  }

  get<K extends KindName>(kind: K, key: string): MeshObject<K> | undefined {
    return this.byKind.get(kind)?.get(key) as MeshObject<K> | undefined;
  }

  version(kind: KindName): number {
    return this.versions.get(kind) ?? 0;
  }

  /** Store an object; a parsed object replaces an earlier invalid one with the same key and vice versa. */
  put(object: MeshObject): void {
    this.byKind.get(object.kind)?.set(object.key, object);
    this.touch(object.kind);
    if (this.invalidByKey.delete(object.key)) this.touchInvalid();
  }

  putInvalid(kind: KindName, invalid: InvalidObject): void {
    if (this.byKind.get(kind)?.delete(invalid.key)) this.touch(kind);
    this.invalidByKey.set(invalid.key, invalid);
    this.touchInvalid();
  }

  remove(kind: KindName, key: string): void {
    if (this.byKind.get(kind)?.delete(key)) this.touch(kind);
    if (this.invalidByKey.delete(key)) this.touchInvalid();
  }

  invalid(): readonly InvalidObject[] {
    if (!this.invalidSorted) {
      this.invalidSorted = [...this.invalidByKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    return this.invalidSorted;
  }

  invalidObjectsVersion(): number {
    return this.invalidVersion;
  }

  private touch(kind: KindName): void {
    this.sorted.delete(kind);
    this.versions.set(kind, (this.versions.get(kind) ?? 0) + 1);
  }

  private touchInvalid(): void {
    this.invalidSorted = undefined;
    this.invalidVersion += 1;
  }
}
