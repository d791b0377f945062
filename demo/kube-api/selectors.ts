/**
 * Label and field selectors as list and watch requests carry them.
 * Grammar: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
import { badRequest } from "./status";
import type { KubeObject } from "./object";

type Requirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" };

export type Labels = Readonly<Record<string, string>>;

/** Splits at commas that are not inside a `(…)` value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const SET_TERM = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^)]*)\)$`);
const EQ_TERM = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*(${VALUE})$`);
const EXISTS_TERM = new RegExp(String.raw`^(!?)\s*(${KEY})$`);

function parseTerm(term: string, param: string): Requirement {
  const set = SET_TERM.exec(term);
  if (set) {
    const values = (set[4] ?? "").split(",").map((v) => v.trim()).filter((v) => v.length > 0);
    return { key: set[1] ?? "", op: set[3] === "in" ? "in" : "notin", values };
  }
  const eq = EQ_TERM.exec(term);
  if (eq) return { key: eq[1] ?? "", op: eq[3] === "!=" ? "!=" : "=", value: eq[4] ?? "" };
  const exists = EXISTS_TERM.exec(term);
  if (exists) return { key: exists[2] ?? "", op: exists[1] === "!" ? "!exists" : "exists" };
  throw badRequest(`unable to parse requirement: ${param}: invalid selector term "${term}"; expected key, !key, key=value, key!=value, key in (a,b) or key notin (a,b)`);
}

function matches(req: Requirement, get: (key: string) => string | undefined): boolean {
  const actual = get(req.key);
  switch (req.op) {
    case "=":
      return actual === req.value;
    case "!=":
      return actual !== req.value;
    case "in":
      return actual !== undefined && req.values.includes(actual);
    case "notin":
      return actual === undefined || !req.values.includes(actual);
    case "exists":
      return actual !== undefined;
    case "!exists":
      return actual === undefined;
  }
}

export type ObjectFilter = (object: KubeObject) => boolean;

export function parseLabelSelector(selector: string | null): ObjectFilter | undefined {
  if (!selector || !selector.trim()) return undefined;
  const requirements = splitTerms(selector).map((t) => parseTerm(t, "labelSelector"));
  return (object) => {
    const labels = object.metadata.labels ?? {};
    return requirements.every((r) => matches(r, (k) => labels[k]));
  };
}

/**
 * Only metadata.name and metadata.namespace are supported for every kind; Kubernetes adds a few
 * kind-specific fields (e.g. status.phase on pods) that the console does not use.
 */
export function parseFieldSelector(selector: string | null): ObjectFilter | undefined {
  if (!selector || !selector.trim()) return undefined;
  const requirements = splitTerms(selector).map((term) => {
    const m = /^([A-Za-z.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid field selector term "${term}"; expected field=value or field!=value`);
    const field = m[1] ?? "";
    if (field !== "metadata.name" && field !== "metadata.namespace") {
      throw badRequest(`field label not supported: ${field}; supported fields are metadata.name and metadata.namespace`);
    }
    return { key: field, op: m[2] === "!=" ? ("!=" as const) : ("=" as const), value: (m[3] ?? "").trim() };
  });
  return (object) =>
    requirements.every((r) =>
      matches(r, (field) => (field === "metadata.name" ? object.metadata.name : (object.metadata.namespace ?? ""))),
    );
}

/** A Service's `spec.selector`: every pair must be present (an empty selector selects nothing here). */
export function mapSelectorMatches(selector: Labels | undefined, labels: Labels | undefined): boolean {
  if (!selector) return false;
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  return keys.every((k) => labels?.[k] === selector[k]);
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A workload's `spec.selector` (metav1.LabelSelector). */
export function labelSelectorMatches(selector: LabelSelectorSpec | undefined, labels: Labels | undefined): boolean {
  if (!selector) return false;
  const get = (k: string) => labels?.[k];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (get(k) !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const op = e.operator === "In" ? "in" : e.operator === "NotIn" ? "notin" : e.operator === "Exists" ? "exists" : "!exists";
    const req: Requirement = op === "in" || op === "notin" ? { key: e.key, op, values: e.values ?? [] } : { key: e.key, op };
    if (!matches(req, get)) return false;
  }
  return true;
}
