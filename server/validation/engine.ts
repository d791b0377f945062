import { sortFindings, type Finding } from "@/lib/validation/finding";
import type { Rule } from "./rule";
import { allRules } from "./rules";
import type { MeshSnapshot } from "./snapshot";

export interface ValidateOptions {
  /** Only findings on objects in these namespaces (and on these Namespace objects themselves). */
  readonly namespaces?: readonly string[];
  /** Run only these rules (default: all). */
  readonly rules?: readonly Rule[];
}

/** Keeps findings whose object lives in one of the namespaces, or is one of those Namespaces. */
export function filterByNamespace(findings: readonly Finding[], namespaces: readonly string[] | undefined): Finding[] {
  if (!namespaces) return [...findings];
  const wanted = new Set(namespaces);
  return findings.filter((f) => wanted.has(f.object.namespace) || (f.object.kind === "Namespace" && wanted.has(f.object.name)));
}

/** Run a rule; a rule that throws is a bug in the rule, reported as such rather than taking the whole run down. */
export function runRule(rule: Rule, snapshot: MeshSnapshot): Finding[] {
  try {
    return rule.check(snapshot);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`validation rule ${rule.id} failed: ${reason}`, { cause: error });
  }
}

/** Every finding of the snapshot, in the order of `compareFindings`. */
export function validate(snapshot: MeshSnapshot, options: ValidateOptions = {}): Finding[] {
  const rules = options.rules ?? allRules;
  const findings = rules.flatMap((rule) => runRule(rule, snapshot));
  return sortFindings(filterByNamespace(findings, options.namespaces));
}
