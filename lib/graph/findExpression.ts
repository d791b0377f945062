/**
 * The graph's find and hide language, at the level of Kiali's: conditions joined with `and` or `,`
 * (all must hold), each `field operator value` (`name=reviews`, `rps>10`, `%error>1`) or a bare
 * yes/no operand (`circuitbreaker`, `!sidecar`, `outside`, `failing`). Text compares without case;
 * `!=` negates. Every operand, with what it applies to, is in FIND_OPERANDS, which the page's help
 * lists, so the help and the parser cannot disagree.
 */
import type { ConfigBadgeKind, GraphEdge, GraphNode } from "./model";

export type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=";

export type OperandType = "text" | "number" | "boolean";
export type OperandScope = "nodes" | "edges" | "nodes and edges";

export interface FindOperand {
  name: string;
  type: OperandType;
  scope: OperandScope;
  description: string;
  aliases?: readonly string[];
}

/** Every operand the language knows, in the order the help lists them. */
export const FIND_OPERANDS = [
  { name: "name", type: "text", scope: "nodes", description: "app, workload, service or host name" },
  { name: "namespace", type: "text", scope: "nodes", description: "namespace", aliases: ["ns"] },
  { name: "app", type: "text", scope: "nodes", description: "app label" },
  { name: "version", type: "text", scope: "nodes", description: "version (canonical revision)" },
  { name: "workload", type: "text", scope: "nodes", description: "workload name" },
  { name: "service", type: "text", scope: "nodes", description: "service name" },
  { name: "kind", type: "text", scope: "nodes", description: "app, versionedApp, workload, service, external, unknown, gateway" },
  { name: "health", type: "text", scope: "nodes and edges", description: "healthy, degraded, failing, no-traffic" },
  { name: "protocol", type: "text", scope: "edges", description: "http, grpc or tcp" },
  { name: "rps", type: "number", scope: "nodes and edges", description: "requests per second (a node's inbound)" },
  { name: "rpm", type: "number", scope: "nodes and edges", description: "requests per minute (a node's inbound)" },
  { name: "http", type: "number", scope: "edges", description: "HTTP requests per second (0 on other edges)" },
  { name: "grpc", type: "number", scope: "edges", description: "gRPC requests per second (0 on other edges)" },
  { name: "tcp", type: "number", scope: "nodes and edges", description: "TCP bytes per second (a node's inbound)" },
  { name: "error%", type: "number", scope: "nodes and edges", description: "share of failed requests, in percent", aliases: ["%error", "error", "errors", "errors%"] },
  { name: "traffic%", type: "number", scope: "edges", description: "share of the caller's traffic, in percent", aliases: ["%traffic", "traffic"] },
  { name: "p95", type: "number", scope: "edges", description: "response time p95 in ms (asks the graph for latency)", aliases: ["responsetime", "rt"] },
  { name: "mtls%", type: "number", scope: "edges", description: "share of traffic over mutual TLS, in percent", aliases: ["%mtls", "mtls"] },
  { name: "sidecar", type: "boolean", scope: "nodes", description: "its pods run Istio's proxy" },
  { name: "idle", type: "boolean", scope: "nodes", description: "known to Kubernetes but without traffic in the window", aliases: ["unused"] },
  { name: "outside", type: "boolean", scope: "nodes", description: "outside the namespaces drawn (other namespaces, external hosts, unknown sources)" },
  { name: "trafficsource", type: "boolean", scope: "nodes", description: "sends traffic but receives none (a root of the graph)" },
  { name: "circuitbreaker", type: "boolean", scope: "nodes", description: "a DestinationRule sets a connection pool or outlier detection", aliases: ["cb"] },
  { name: "virtualservice", type: "boolean", scope: "nodes", description: "a VirtualService or HTTPRoute routes it", aliases: ["vs", "route"] },
  { name: "faultinjection", type: "boolean", scope: "nodes", description: "a VirtualService injects faults into its requests", aliases: ["fault"] },
  { name: "mirroring", type: "boolean", scope: "nodes", description: "a VirtualService mirrors its requests", aliases: ["mirror"] },
  { name: "timeout", type: "boolean", scope: "nodes", description: "a VirtualService sets a timeout or retries", aliases: ["retries"] },
  { name: "healthy", type: "boolean", scope: "nodes and edges", description: "shorthand for health=healthy" },
  { name: "degraded", type: "boolean", scope: "nodes and edges", description: "shorthand for health=degraded" },
  { name: "failing", type: "boolean", scope: "nodes and edges", description: "shorthand for health=failing", aliases: ["failure"] },
] as const satisfies readonly FindOperand[];

export type Field = (typeof FIND_OPERANDS)[number]["name"];
type FieldOfType<T extends OperandType> = Extract<(typeof FIND_OPERANDS)[number], { type: T }>["name"];
type TextField = FieldOfType<"text">;
type NumberField = FieldOfType<"number">;
type BooleanField = FieldOfType<"boolean">;

export type Clause =
  | { field: TextField; operator: "=" | "!="; value: string }
  | { field: NumberField; operator: Operator; value: number }
  | { field: BooleanField; operator: "=" | "!="; value: boolean };

/** `position`: where the faulty condition starts in the expression (0-based), for the page to point at. */
export type ParseResult = { ok: true; clauses: Clause[] } | { ok: false; error: string; position: number };

const OPERAND_BY_NAME = new Map<string, FindOperand>();
for (const operand of FIND_OPERANDS as readonly FindOperand[]) {
  OPERAND_BY_NAME.set(operand.name, operand);
  for (const alias of operand.aliases ?? []) OPERAND_BY_NAME.set(alias, operand);
}

const CLAUSE = /^(%?[a-z][a-z0-9]*%?)\s*(!=|>=|<=|=|>|<)\s*(.*)$/i;
const BARE = /^(!|not\s+)?\s*([a-z][a-z0-9]*)$/i;

const operandNames = () => (FIND_OPERANDS as readonly FindOperand[]).map((operand) => operand.name).join(", ");

function parseClause(text: string): Clause | string {
  const bare = BARE.exec(text);
  if (bare) {
    const operand = OPERAND_BY_NAME.get((bare[2] ?? "").toLowerCase());
    if (operand?.type === "boolean") return { field: operand.name as BooleanField, operator: bare[1] ? "!=" : "=", value: true };
    return `"${text}" is not a condition; write field, operator and value (name=reviews, rps>10) or a yes/no operand (circuitbreaker, !sidecar)`;
  }
  const match = CLAUSE.exec(text);
  if (!match) return `"${text}" is not a condition; write field, operator and value, e.g. name=reviews or rps>10`;
  const [, rawField = "", operator = "=", rawValue = ""] = match;
  const operand = OPERAND_BY_NAME.get(rawField.toLowerCase());
  if (!operand) return `unknown field "${rawField}"; use one of ${operandNames()}`;
  const field = operand.name;
  const value = rawValue.trim();
  if (value === "") return `"${rawField}${operator}" needs a value after ${operator}`;
  if (operand.type === "number") {
    const number = Number(value.replace(/%$/, ""));
    if (!Number.isFinite(number)) return `"${field}" compares numbers, but "${value}" is not one`;
    return { field: field as NumberField, operator: operator as Operator, value: number };
  }
  if (operator !== "=" && operator !== "!=") return `"${field}" can only be compared with = or !=`;
  if (operand.type === "boolean") {
    const lower = value.toLowerCase();
    if (lower !== "true" && lower !== "false") return `"${field}" is true or false, not "${value}"`;
    return { field: field as BooleanField, operator, value: lower === "true" };
  }
  return { field: field as TextField, operator, value: value.toLowerCase() };
}

/** An empty expression is valid and matches nothing (nothing found, nothing hidden). */
export function parseFindExpression(expression: string): ParseResult {
  const separator = /\s+and\s+|,/gi;
  const clauses: Clause[] = [];
  let start = 0;
  const parts: { text: string; at: number }[] = [];
  for (const match of expression.matchAll(separator)) {
    parts.push({ text: expression.slice(start, match.index), at: start });
    start = match.index + match[0].length;
  }
  parts.push({ text: expression.slice(start), at: start });
  for (const part of parts) {
    const text = part.text.trim();
    if (text === "") continue;
    const clause = parseClause(text);
    const position = part.at + (part.text.length - part.text.trimStart().length);
    if (typeof clause === "string") return { ok: false, error: `${clause} (at character ${position + 1})`, position };
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

/** What an expression is matched against besides the element: the namespaces drawn (for `outside`). */
export interface MatchContext {
  namespaces?: readonly string[];
}

type Values = Partial<Record<Field, string | number | boolean | null>>;

const hasBadge = (node: GraphNode, ...badges: ConfigBadgeKind[]) => (node.config ?? []).some((badge) => badges.includes(badge.badge));

function nodeValues(node: GraphNode, context: MatchContext): Values {
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
    rpm: node.inboundRps * 60,
    tcp: node.tcpInboundBytesPerSecond,
    "error%": node.errorRate * 100,
    sidecar: node.hasSidecar,
    idle: node.isIdle,
    outside: node.kind === "external" || node.kind === "unknown" || (context.namespaces !== undefined && !context.namespaces.includes(node.namespace)),
    trafficsource: node.inboundRps === 0 && node.tcpInboundBytesPerSecond === 0 && (node.outboundRps > 0 || node.tcpOutboundBytesPerSecond > 0),
    circuitbreaker: hasBadge(node, "circuitBreaker"),
    virtualservice: hasBadge(node, "virtualService", "httpRoute"),
    faultinjection: hasBadge(node, "faultInjection"),
    mirroring: hasBadge(node, "mirroring"),
    timeout: hasBadge(node, "timeoutsRetries"),
    healthy: node.health === "healthy",
    degraded: node.health === "degraded",
    failing: node.health === "failing",
  };
}

function edgeValues(edge: GraphEdge): Values {
  return {
    protocol: edge.protocol,
    health: edge.health,
    rps: edge.rps,
    rpm: edge.rps * 60,
    http: edge.protocol === "http" ? edge.rps : 0,
    grpc: edge.protocol === "grpc" ? edge.rps : 0,
    tcp: edge.tcpBytesPerSecond,
    "error%": edge.errorRate * 100,
    "traffic%": edge.percentOfSource,
    p95: edge.responseTime?.p95 ?? null,
    "mtls%": edge.mtlsShare === null ? null : edge.mtlsShare * 100,
    healthy: edge.health === "healthy",
    degraded: edge.health === "degraded",
    failing: edge.health === "failing",
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

export function matchesNode(clauses: readonly Clause[], node: GraphNode, context: MatchContext = {}): boolean {
  return clauses.length > 0 && clauses.every((clause) => holds(clause, nodeValues(node, context)));
}

export function matchesEdge(clauses: readonly Clause[], edge: GraphEdge): boolean {
  return clauses.length > 0 && clauses.every((clause) => holds(clause, edgeValues(edge)));
}
