import { describe, expect, it } from "vitest";
import { formatObjectRef, type Finding } from "@/lib/validation/finding";
import { validate } from "./engine";
import type { Rule } from "./rule";
import { snapshotFromObjects, type SnapshotOptions } from "./snapshot";
import { parseYamlDocuments } from "./yaml-input";

/** Table-driven rule tests: YAML in, `CODE Kind ns/name path` lines out. Used by the `*.test.ts` files only. */

export interface RuleCase {
  readonly name: string;
  readonly yaml: string;
  /** `CODE Kind ns/name path`, in the engine's order. */
  readonly findings: readonly string[];
  readonly options?: SnapshotOptions;
}

export function objectsFromYaml(yaml: string): unknown[] {
  const parsed = parseYamlDocuments(yaml, "fixture");
  if (parsed.errors.length > 0) throw new Error(parsed.errors.join("; "));
  return parsed.objects;
}

export function runRule(rule: Rule, yaml: string, options: SnapshotOptions = {}): Finding[] {
  return validate(snapshotFromObjects(objectsFromYaml(yaml), options), { rules: [rule] });
}

export function summarize(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.code} ${formatObjectRef(f.object)} ${f.path}`.trimEnd());
}

export function describeRule(rule: Rule, cases: readonly RuleCase[]): void {
  describe(`rule ${rule.id}`, () => {
    it.each(cases)("$name", ({ yaml, findings, options }) => {
      const actual = runRule(rule, yaml, options);
      expect(summarize(actual)).toEqual(findings);
      for (const finding of actual) {
        expect(rule.codes).toContain(finding.code);
        expect(finding.message.length).toBeGreaterThan(10);
      }
    });
  });
}

/** The CLI's stdout and stderr, kept for the test to read. */
export function captureIo() {
  let stdout = "";
  let stderr = "";
  return {
    io: { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } },
    out: () => stdout,
    err: () => stderr,
  };
}
