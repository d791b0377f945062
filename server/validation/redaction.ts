/**
 * Findings as a signed-in person may see them. The findings route already keeps only findings on
 * objects in namespaces the person may read (server/auth/namespaceAccess.ts); but a finding on a
 * readable object may name objects elsewhere ("Host reviews is also defined by mesh
 * VirtualService team-b/reviews-override"). Those names are withheld: the finding stays, with its
 * code, severity, object and path, and the fact of the conflict ("… by a mesh VirtualService in a
 * namespace you may not read"); only which object it is, is not told.
 *
 * Redaction renders the message again from the rule's template (mentions.ts) rather than editing
 * the text, and withholds the same objects in `related`. A finding that names unreadable objects
 * but has lost its template is replaced by its catalogue description: failing closed.
 */
import { catalogueEntry, isKnownCode } from "@/lib/validation/catalogue";
import type { Finding, ObjectRef } from "@/lib/validation/finding";
import type { AllowedNamespaces } from "@/server/auth/namespaceAccess";
import type { FindingsReport } from "./live";
import { relatedOf, renderMessage, templateOf } from "./mentions";

/** An object a finding names that the person may not read: only its kind is told. */
export interface WithheldObject {
  readonly kind: string;
  readonly withheld: true;
}

/** A finding as sent to one person: `related` lists the objects its message names, the unreadable ones withheld. */
export type RedactedFinding = Finding & { readonly related?: readonly (ObjectRef | WithheldObject)[] };

export interface RedactedReport extends Omit<FindingsReport, "findings"> {
  readonly findings: RedactedFinding[];
}

/**
 * Whether the person may read an object: as the findings filter decides, by its namespace; a
 * Namespace object by its own name; a cluster-scoped object only for a person who may read every
 * namespace (it concerns everyone's traffic).
 */
export function mayReadObject(ref: ObjectRef, allowed: AllowedNamespaces): boolean {
  if (allowed.all) return true;
  if (ref.kind === "Namespace" && !ref.namespace) return allowed.namespaces.has(ref.name);
  return ref.namespace !== "" && allowed.namespaces.has(ref.namespace);
}

function withheldMessage(code: string): string {
  const what = isKnownCode(code) ? catalogueEntry(code).description : `Finding ${code}.`;
  return `${what} (The details name objects in namespaces you may not read.)`;
}

export function redactFinding(finding: Finding, allowed: AllowedNamespaces): RedactedFinding {
  const related = relatedOf(finding);
  const mayRead = (ref: ObjectRef) => mayReadObject(ref, allowed);
  if (related.every(mayRead)) return finding;
  const template = templateOf(finding);
  return {
    code: finding.code,
    severity: finding.severity,
    message: template ? renderMessage(template, mayRead) : withheldMessage(finding.code),
    object: finding.object,
    path: finding.path,
    related: related.map((ref) => (mayRead(ref) ? ref : { kind: ref.kind, withheld: true })),
  };
}

/** Every finding of the list, redacted for the person; unchanged (the same objects) for a person who may read everything. */
export function redactFindings(findings: readonly Finding[], allowed: AllowedNamespaces): RedactedFinding[] {
  if (allowed.all) return [...findings];
  return findings.map((finding) => redactFinding(finding, allowed));
}

/** The report with its findings redacted; counts and time are unchanged, since no finding is dropped. */
export function redactReport(report: FindingsReport, allowed: AllowedNamespaces): RedactedReport {
  return { ...report, findings: redactFindings(report.findings, allowed) };
}
