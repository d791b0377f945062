import { catalogueEntry, type FindingCode } from "@/lib/validation/catalogue";
import type { Finding, ObjectRef } from "@/lib/validation/finding";
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

/** A finding with the catalogue's severity for its code. */
export function finding(code: FindingCode, object: ObjectRef, path: string, message: string): Finding {
  return { code, severity: catalogueEntry(code).severity, message, object, path };
}

/** Collects findings while skipping the assumed (synthetic) objects that no user wrote. */
export class FindingSink {
  readonly findings: Finding[] = [];

  report(code: FindingCode, target: { readonly ref: ObjectRef; readonly synthetic?: boolean }, path: string, message: string): void {
    if (target.synthetic) return;
    this.findings.push(finding(code, target.ref, path, message));
  }
}
