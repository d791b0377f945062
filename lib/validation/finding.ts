import { z } from "zod";
import { ISTIO_KINDS } from "@/lib/istioKinds";

/**
 * A validation finding: one problem on one object, at one field. Shared by the server (which
 * computes findings) and the browser (which lists them), so it is parsed with zod wherever it
 * crosses the wire.
 */

export const severitySchema = z.enum(["error", "warning", "info"]);
export type Severity = z.infer<typeof severitySchema>;

export const objectRefSchema = z.object({
  kind: z.string().min(1),
  /** Empty for cluster-scoped objects and for objects read from files without a namespace. */
  namespace: z.string(),
  name: z.string().min(1),
});
export type ObjectRef = z.infer<typeof objectRefSchema>;

export const findingSchema = z.object({
  code: z.string().regex(/^(IST|MC)\d{4}$/, "expected a code like IST0101 or MC1001"),
  severity: severitySchema,
  message: z.string().min(1),
  object: objectRefSchema,
  /** The field in the object, e.g. `spec.http[0].route[1].destination.subset`; empty for the whole object. */
  path: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

export const findingListSchema = z.array(findingSchema);

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** `namespace/name`, or `name` alone when there is no namespace. */
export function qualifiedName(ref: { readonly namespace: string; readonly name: string }): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** The `kind` field objects of a console kind key carry (`K8sGateway` → `Gateway`); other kinds as they are. */
export function apiKindOf(kind: string): string {
  return ISTIO_KINDS.find((info) => info.kind === kind)?.apiKind ?? kind;
}

/** `Kind namespace/name`, or `Kind name` when the object has no namespace (how istioctl prints it, with the API kind). */
export function formatObjectRef(ref: ObjectRef): string {
  const kind = apiKindOf(ref.kind);
  return ref.namespace ? `${kind} ${ref.namespace}/${ref.name}` : `${kind} ${ref.name}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The one total order findings are listed in: by object, then field, then code, then message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.object.namespace, b.object.namespace) ||
    compareStrings(a.object.kind, b.object.kind) ||
    compareStrings(a.object.name, b.object.name) ||
    compareStrings(a.path, b.path) ||
    compareStrings(a.code, b.code) ||
    severityRank[a.severity] - severityRank[b.severity] ||
    compareStrings(a.message, b.message)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

const severityLabel: Record<Severity, string> = { error: "Error", warning: "Warning", info: "Info" };

/** One line, in the shape `istioctl analyze` users know: `Error [IST0101] (VirtualService ns/name path) message`. */
export function formatFinding(finding: Finding): string {
  const where = finding.path ? `${formatObjectRef(finding.object)} ${finding.path}` : formatObjectRef(finding.object);
  return `${severityLabel[finding.severity]} [${finding.code}] (${where}) ${finding.message}`;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
