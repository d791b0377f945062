import { sortFindings, type Finding } from "@/lib/validation/finding";
import { filterByNamespace, runRule } from "./engine";
import { ObjectStore } from "./object-store";
import { parseMeshObject, type KindName } from "./objects";
import type { Rule } from "./rule";
import { allRules } from "./rules";
import { addToStore, expandLists, MeshSnapshot, seedDefaults, type SnapshotOptions } from "./snapshot";

/**
 * Validation kept up to date from a stream of watch events.
 *
 * Dependency rule: a rule's findings are a function of the objects of the kinds it declares in
 * `reads` (plus mesh settings, which come from ConfigMaps, so rules that use them list ConfigMap).
 * After an event on an object of kind K, exactly the rules reading K are rerun, over the whole
 * snapshot; every other rule's findings are kept. Indexes inside the snapshot are rebuilt only when
 * a kind they are built from changed. Rules are not narrowed to namespaces because several
 * (exportTo, root-namespace policies, gateway selectors) reach across them.
 */

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: unknown;
}

export interface ValidationIndex {
  /** Apply one change; returns the ids of the rules that were rerun. */
  apply(event: WatchEvent): readonly string[];
  findings(namespaces?: readonly string[]): Finding[];
  readonly snapshot: MeshSnapshot;
}

export interface ValidationIndexOptions extends SnapshotOptions {
  readonly rules?: readonly Rule[];
}

export function createValidationIndex(initialObjects: readonly unknown[], options: ValidationIndexOptions = {}): ValidationIndex {
  const rules = options.rules ?? allRules;
  const store = new ObjectStore();
  for (const raw of expandLists(initialObjects)) addToStore(store, raw, options);
  seedDefaults(store, options);
  const snapshot = new MeshSnapshot(store, options);
  const byRule = new Map<string, Finding[]>();
  for (const rule of rules) byRule.set(rule.id, runRule(rule, snapshot));
  let merged: Finding[] | undefined;

  function changedKind(raw: unknown): KindName | undefined {
    const outcome = parseMeshObject(raw, { defaultNamespace: options.defaultNamespace });
    if (outcome.status === "ignored") return undefined;
    const key = outcome.status === "parsed" ? outcome.object.key : outcome.invalid.key;
    return key.slice(0, key.indexOf("/")) as KindName;
  }

  function apply(event: WatchEvent): readonly string[] {
    const kind = changedKind(event.object);
    if (!kind) return [];
    if (event.type === "DELETED") {
      const outcome = parseMeshObject(event.object, { defaultNamespace: options.defaultNamespace });
      const key = outcome.status === "parsed" ? outcome.object.key : outcome.status === "invalid" ? outcome.invalid.key : undefined;
      if (key) store.remove(kind, key);
    } else {
      addToStore(store, event.object, options);
    }
    const rerun: string[] = [];
    for (const rule of rules) {
      if (!rule.reads.includes(kind)) continue;
      byRule.set(rule.id, runRule(rule, snapshot));
      rerun.push(rule.id);
    }
    merged = undefined;
    return rerun;
  }

  function findings(namespaces?: readonly string[]): Finding[] {
    merged ??= sortFindings([...byRule.values()].flat());
    return namespaces ? filterByNamespace(merged, namespaces) : [...merged];
  }

  return { apply, findings, snapshot };
}
