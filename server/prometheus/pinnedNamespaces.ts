/**
 * Which namespaces a PromQL query reads, decided from the query text itself: Prometheus knows
 * nothing of Kubernetes RBAC, so what a person may be shown depends on the series the query
 * selects, not on the parameters the request carried (a builder that forgets a parameter must not
 * widen what is read). The query is parsed with Prometheus' own grammar
 * (https://github.com/prometheus/prometheus/tree/main/web/ui/module/lezer-promql).
 *
 * A selector (`metric{…}`, also inside `[5m]`, subqueries, `offset`, `or` …) is PINNED to a set of
 * namespaces by a matcher on a namespace label that is `=` a namespace name, or `=~` a plain
 * alternation of namespace names (what regexAlternation in promql.ts writes). Every series it
 * selects lies in one of those namespaces on that label. Istio labels each request with both ends'
 * namespaces; a series is about a namespace when either end is in it (the README's "Access and
 * security": the graph may name the other end), so a selector with several pins is readable when
 * ANY one of its pins lies within what the person may read.
 * https://istio.io/latest/docs/reference/config/metrics/#labels
 *
 * Anything else leaves a selector unpinned, and an unpinned selector may read every namespace:
 * `!=`, `!~`, `=""` (which also selects series without the label), a regex that is not a plain list
 * of names (`.*`, `book.*`), a label that is not a namespace label. A query that does not parse is
 * treated as unpinned (fail closed). A query with no selector (`vector(0)`) reads nothing.
 *
 * Metrics that only one namespace's pods export (istiod's `pilot_*`, in the mesh's root namespace)
 * are pinned to that namespace by their name, given by the caller as `homeNamespaceOf`.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { isDns1123Label } from "@/lib/kubeNames";

type SyntaxNode = ReturnType<typeof parser.parse>["topNode"];

/**
 * Labels that name a namespace: Istio's standard labels for both ends of a request, and the
 * scraped pod's namespace as Prometheus' Kubernetes discovery is usually relabelled (`namespace`
 * in Istio's and kube-prometheus' configurations, `kubernetes_namespace` in older ones).
 */
export const NAMESPACE_LABELS: ReadonlySet<string> = new Set([
  "source_workload_namespace",
  "destination_workload_namespace",
  "destination_service_namespace",
  "namespace",
  "kubernetes_namespace",
]);

/** For one selector: each namespace set it is pinned to (any one, within reach, makes it readable); empty = unpinned. */
export type SelectorPins = readonly (readonly string[])[];

/** What a set of queries reads: `unparseable` when one could not be read (treated as unpinned). */
export interface QueryReads {
  selectors: SelectorPins[];
  unparseable: boolean;
}

export interface PinOptions {
  /** The namespace whose pods alone export `metric`, if any. */
  homeNamespaceOf?: (metric: string) => string | undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'" };

/**
 * A PromQL string literal's value, as Go's strconv.Unquote reads it (which Prometheus uses), or
 * undefined for anything this does not read exactly (octal and \x escapes, an unterminated string):
 * such a value pins nothing, so a misreading can only refuse, never allow.
 * https://prometheus.io/docs/prometheus/latest/querying/basics/#string-literals
 */
export function unquote(literal: string): string | undefined {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) return undefined;
  const body = literal.slice(1, -1);
  if (quote === "`") return body.includes("`") ? undefined : body;
  if (quote !== '"' && quote !== "'") return undefined;
  let value = "";
  for (let index = 0; index < body.length; index++) {
    const char = body[index] as string;
    if (char === quote || char === "\n") return undefined;
    if (char !== "\\") {
      value += char;
      continue;
    }
    const next = body[++index];
    if (next === undefined) return undefined;
    if (next in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[next];
      continue;
    }
    const hexDigits = next === "u" ? 4 : next === "U" ? 8 : 0;
    const hex = body.slice(index + 1, index + 1 + hexDigits);
    if (hexDigits === 0 || !new RegExp(`^[0-9a-fA-F]{${hexDigits}}$`).test(hex)) return undefined;
    const codePoint = Number.parseInt(hex, 16);
    if (codePoint > 0x10ffff) return undefined;
    value += String.fromCodePoint(codePoint);
    index += hexDigits;
  }
  return value;
}

/** The namespaces one matcher pins to, or undefined when it pins nothing. */
function matcherPin(operator: string, value: string): string[] | undefined {
  // Prometheus anchors regexes to the whole value, so a list of names matches exactly those names.
  const names = operator === "=" ? [value] : operator === "=~" ? value.split("|") : [];
  return names.length > 0 && names.every(isDns1123Label) ? [...new Set(names)].sort() : undefined;
}

function text(query: string, node: SyntaxNode): string {
  return query.slice(node.from, node.to);
}

/** A selector's metric name when it is written literally (`name{…}`, `{"name"}` or `{__name__="name"}`). */
function metricNames(query: string, selector: SyntaxNode): string[] {
  const names: string[] = [];
  const identifier = selector.getChild("Identifier");
  if (identifier) names.push(text(query, identifier));
  const matchers = selector.getChild("LabelMatchers");
  for (let child = matchers?.firstChild ?? null; child; child = child.nextSibling) {
    if (child.name === "QuotedLabelName") {
      const name = unquote(text(query, child));
      if (name !== undefined) names.push(name);
    }
  }
  return names;
}

function selectorPins(query: string, selector: SyntaxNode, options: PinOptions): { pins: string[][]; readable: boolean } {
  const pins: string[][] = [];
  const matchers = selector.getChild("LabelMatchers");
  const names = metricNames(query, selector);
  for (let child = matchers?.firstChild ?? null; child; child = child.nextSibling) {
    if (child.name !== "UnquotedLabelMatcher" && child.name !== "QuotedLabelMatcher") continue;
    const labelNode = child.getChild("LabelName") ?? child.getChild("QuotedLabelName");
    const operatorNode = child.getChild("MatchOp");
    const valueNode = child.getChild("StringLiteral");
    if (!labelNode || !operatorNode || !valueNode) return { pins: [], readable: false };
    const label = labelNode.name === "LabelName" ? text(query, labelNode) : unquote(text(query, labelNode));
    const value = unquote(text(query, valueNode));
    const operator = text(query, operatorNode);
    if (label === undefined || value === undefined) return { pins: [], readable: false };
    if (label === "__name__" && operator === "=") names.push(value);
    if (!NAMESPACE_LABELS.has(label)) continue;
    const pin = matcherPin(operator, value);
    if (pin) pins.push(pin);
  }
  for (const name of names) {
    const home = options.homeNamespaceOf?.(name);
    if (home) pins.push([home]);
  }
  return { pins, readable: true };
}

/** Every selector of `query` with its pins (see the module comment). */
export function queryReads(query: string, options: PinOptions = {}): QueryReads {
  const tree = parser.parse(query);
  const selectors: SelectorPins[] = [];
  let unparseable = false;
  tree.iterate({
    enter(node) {
      // Prometheus 3's experimental info() also reads target_info series that no selector names.
      if (node.type.isError || (node.name === "FunctionIdentifier" && text(query, node.node) === "info")) unparseable = true;
      if (node.name !== "VectorSelector") return;
      const { pins, readable } = selectorPins(query, node.node, options);
      if (!readable) unparseable = true;
      selectors.push(pins);
    },
  });
  return { selectors, unparseable };
}

/** `all`: some selector may read every namespace; otherwise the namespaces still out of reach (empty = readable). */
export type RefusedReads = { all: true } | { all: false; namespaces: string[] };

/**
 * What of `queries` lies outside `allowed`: every selector needs one of its pins within `allowed`.
 * When none is, the pin missing the fewest namespaces is named, as the one a person is closest to.
 */
export function refusedReads(queries: readonly string[], allowed: ReadonlySet<string>, options: PinOptions = {}): RefusedReads {
  const refused = new Set<string>();
  for (const query of queries) {
    const reads = queryReads(query, options);
    if (reads.unparseable) return { all: true };
    for (const pins of reads.selectors) {
      if (pins.length === 0) return { all: true };
      const missing = pins.map((pin) => pin.filter((namespace) => !allowed.has(namespace)));
      const closest = missing.reduce((best, next) => (next.length < best.length ? next : best));
      for (const namespace of closest) refused.add(namespace);
    }
  }
  return { all: false, namespaces: [...refused].sort() };
}
