/**
 * The graph's find and hide language: clauses such as `name=reviews`, `rps>10`, `error%>1`,
 * `health=failing` or `version=v2`, joined with `and` or `,` (all must hold). Text compares without
 * case; `!=` negates. Node fields: name, namespace (ns), app, version, workload, service, kind,
 * health, rps (inbound), error% (share of failed requests, in percent), sidecar, idle. Edge fields:
 * protocol, health, rps, error%, traffic% (share of the caller's traffic), p95 (ms), mtls%.
 */
import type { GraphEdge, GraphNode } from "./model";

export type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=";

type TextField = "name" | "namespace" | "app" | "version" | "workload" | "service" | "kind" | "health" | "protocol";
type NumberField = "rps" | "error%" | "traffic%" | "p95" | "mtls%";
type BooleanField = "sidecar" | "idle";
export type Field = TextField | NumberField | BooleanField;

export type Clause =
  | { field: TextField; operator: "=" | "!="; value: string }
  | { field: NumberField; operator: Operator; value: number }
  | { field: BooleanField; operator: "=" | "!="; value: boolean };

export type ParseResult = { ok: true; clauses: Clause[] } | { ok: false; error: string };

const TEXT_FIELDS: readonly TextField[] = ["name", "namespace", "app", "version", "workload", "service", "kind", "health", "protocol"];
const NUMBER_FIELDS: readonly NumberField[] = ["rps", "error%", "traffic%", "p95", "mtls%"];
const BOOLEAN_FIELDS: readonly BooleanField[] = ["sidecar", "idle"];
const ALIASES: Record<string, Field> = { ns: "namespace", errors: "error%", "errors%": "error%", error: "error%", traffic: "traffic%", mtls: "mtls%", rt: "p95" };

const CLAUSE = /^([a-z%0-9]+)\s*(!=|>=|<=|=|>|<)\s*(.+)$/i;

function fieldOf(raw: string): Field | null {
  const name = raw.toLowerCase();
  const alias = ALIASES[name];
  if (alias) return alias;
  return ([...TEXT_FIELDS, ...NUMBER_FIELDS, ...BOOLEAN_FIELDS] as string[]).includes(name) ? (name as Field) : null;
}

function parseClause(text: string): Clause | string {
  const match = CLAUSE.exec(text);
  if (!match) return `"${text}" is not a condition; write field, operator and value, e.g. name=reviews or rps>10`;
  const [, rawField = "", operator = "=", rawValue = ""] = match;
  const field = fieldOf(rawField);
  if (!field) return `unknown field "${rawField}"; use one of ${[...TEXT_FIELDS, ...NUMBER_FIELDS, ...BOOLEAN_FIELDS].join(", ")}`;
  const value = rawValue.trim();
  if ((NUMBER_FIELDS as readonly string[]).includes(field)) {
    const number = Number(value.replace(/%$/, ""));
    if (value === "" || !Number.isFinite(number)) return `"${field}" compares numbers, but "${value}" is not one`;
    return { field: field as NumberField, operator: operator as Operator, value: number };
  }
  if (operator !== "=" && operator !== "!=") return `"${field}" can only be compared with = or !=`;
  if ((BOOLEAN_FIELDS as readonly string[]).includes(field)) {
    const lower = value.toLowerCase();
    if (lower !== "true" && lower !== "false") return `"${field}" is true or false, not "${value}"`;
    return { field: field as BooleanField, operator, value: lower === "true" };
  }
  return { field: field as TextField, operator, value: value.toLowerCase() };
}

/** An empty expression is valid and matches nothing (nothing found, nothing hidden). */
export function parseFindExpression(expression: string): ParseResult {
  const parts = expression
    .split(/\s+and\s+|,/i)
    .map((part) => part.trim())
    .filter((part) => part !== "");
  const clauses: Clause[] = [];
  for (const part of parts) {
    const clause = parseClause(part);
    if (typeof clause === "string") return { ok: false, error: clause };
    clauses.push(clause);
  }
  return { ok: true, clauses };
}

/**
 * Whether an expression compares edges' response time (p95): the graph then has to ask for it
 * (lib/graph/pageState.ts graphAppendersFor). An expression that does not parse compares nothing.
 */
export function comparesResponseTime(expression: string): boolean {
  const parsed = parseFindExpression(expression);
  return parsed.ok && parsed.clauses.some((clause) => clause.field === "p95");
}

type Values = Partial<Record<Field, string | number | boolean | null>>;

function nodeValues(node: GraphNode): Values {
  return {
    name: node.name,
    namespace: node.namespace,
    app: node.app,
    version: node.version,
    workload: node.workload,
    service: node.service,
    kind: node.kind,
    health: node.health,
    rps: node.inboundRps,
    "error%": node.errorRate * 100,
    sidecar: node.hasSidecar,
    idle: node.isIdle,
  };
}

function edgeValues(edge: GraphEdge): Values {
  return {
    protocol: edge.protocol,
    health: edge.health,
    rps: edge.rps,
    "error%": edge.errorRate * 100,
    "traffic%": edge.percentOfSource,
    p95: edge.responseTime?.p95 ?? null,
    "mtls%": edge.mtlsShare === null ? null : edge.mtlsShare * 100,
  };
}

function holds(clause: Clause, values: Values): boolean {
  const actual = values[clause.field];
  // A field the element does not have (a node's protocol, an edge's name) never matches.
  if (actual === undefined || actual === null) return false;
  if (typeof clause.value === "number") {
    const number = actual as number;
    switch (clause.operator) {
      case "=":
        return number === clause.value;
      case "!=":
        return number !== clause.value;
      case ">":
        return number > clause.value;
      case ">=":
        return number >= clause.value;
      case "<":
        return number < clause.value;
      case "<=":
        return number <= clause.value;
    }
  }
  const equal = typeof clause.value === "boolean" ? actual === clause.value : String(actual).toLowerCase() === clause.value;
  return clause.operator === "=" ? equal : !equal;
}

export function matchesNode(clauses: readonly Clause[], node: GraphNode): boolean {
  return clauses.length > 0 && clauses.every((clause) => holds(clause, nodeValues(node)));
}

export function matchesEdge(clauses: readonly Clause[], edge: GraphEdge): boolean {
  return clauses.length > 0 && clauses.every((clause) => holds(clause, edgeValues(edge)));
}
