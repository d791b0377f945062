import { catalogueEntry, type FindingCode } from "@/lib/validation/catalogue";
import type { Finding, ObjectRef } from "@/lib/validation/finding";
import { mentionedObjects, rememberTemplate, renderMessage, type FindingWithRelated, type MessageTemplate } from "./mentions";
import type { KindName } from "./objects";
import type { MeshSnapshot } from "./snapshot";

/**
 * One rule per concern. A rule is a pure function of the snapshot; it declares the kinds it reads
 * (the incremental index reruns it only when one of them changes) and the codes it can emit.
 */
export interface Rule {
  readonly id: string;
  readonly description: string;
  readonly reads: readonly KindName[];
  readonly codes: readonly FindingCode[];
  /** The `istioctl analyze` analyzers this rule answers to, for the conformance run. */
  readonly istioAnalyzers?: readonly string[];
  check(snapshot: MeshSnapshot): Finding[];
}

/**
 * A finding with the catalogue's severity for its code. A message that names other objects is
 * written as a template (mentions.ts): the finding then lists those objects in `related`, so they
 * can be withheld from a person who may not read them.
 */
export function finding(code: FindingCode, object: ObjectRef, path: string, message: string | MessageTemplate): Finding {
  const severity = catalogueEntry(code).severity;
  if (typeof message === "string") return { code, severity, message, object, path };
  const related = mentionedObjects(message);
  const result: FindingWithRelated = { code, severity, message: renderMessage(message, () => true), object, path, ...(related.length > 0 ? { related } : {}) };
  rememberTemplate(result, message);
  return result;
}

/** Collects findings while skipping the assumed (synthetic) objects that no user wrote. */
export class FindingSink {
  readonly findings: Finding[] = [];

  report(code: FindingCode, target: { readonly ref: ObjectRef; readonly synthetic?: boolean }, path: string, message: string | MessageTemplate): void {
    if (target.synthetic) return;
    this.findings.push(finding(code, target.ref, path, message));
  }
}
