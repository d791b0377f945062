/**
 * Building blocks for PromQL with user-supplied values. Every value that comes from a request goes
 * through `quoteLabelValue` (or `regexAlternation`), so no input can end the string it sits in and
 * change the query: https://prometheus.io/docs/prometheus/latest/querying/basics/#string-literals
 */

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A PromQL double-quoted string literal holding exactly `value`. */
export function quoteLabelValue(value: string): string {
  let out = '"';
  for (const char of value) {
    switch (char) {
      case "\\":
        out += "\\\\";
        break;
      case '"':
        out += '\\"';
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      default:
        out += char;
    }
  }
  return `${out}"`;
}

/** RE2 metacharacters escaped, so a value matches only itself inside a `=~` matcher. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

/** A quoted, anchored-by-Prometheus regex matching any one of `values` literally. */
export function regexAlternation(values: readonly string[]): string {
  return quoteLabelValue(values.map(escapeRegex).join("|"));
}

export function assertLabelName(name: string): string {
  if (!LABEL_NAME.test(name)) throw new Error(`Not a Prometheus label name: ${JSON.stringify(name)}`);
  return name;
}

export function assertMetricName(name: string): string {
  if (!METRIC_NAME.test(name)) throw new Error(`Not a Prometheus metric name: ${JSON.stringify(name)}`);
  return name;
}

export type LabelMatcher =
  | { label: string; equals: string }
  | { label: string; notEquals: string }
  | { label: string; oneOf: readonly string[] }
  /** None of `values`; a label the series lacks counts as "" and passes unless "" is listed. */
  | { label: string; noneOf: readonly string[] }
  /** A regex written in our own code (e.g. "5.." for server errors); never from a request. */
  | { label: string; pattern: ConstantPattern };

/** Patterns the console itself uses; the type keeps request values out of `pattern` matchers. */
export type ConstantPattern = "5.." | "4.." | "[0-9].*" | ".+";

/** `{a="x",b=~"y|z"}` from structured matchers; label names are checked, values quoted. */
export function selector(matchers: readonly LabelMatcher[]): string {
  const parts = matchers.map((matcher) => {
    const label = assertLabelName(matcher.label);
    if ("equals" in matcher) return `${label}=${quoteLabelValue(matcher.equals)}`;
    if ("notEquals" in matcher) return `${label}!=${quoteLabelValue(matcher.notEquals)}`;
    if ("pattern" in matcher) return `${label}=~${quoteLabelValue(matcher.pattern)}`;
    if ("noneOf" in matcher) return matcher.noneOf.length === 1 ? `${label}!=${quoteLabelValue(matcher.noneOf[0] as string)}` : `${label}!~${regexAlternation(matcher.noneOf)}`;
    return matcher.oneOf.length === 1 ? `${label}=${quoteLabelValue(matcher.oneOf[0] as string)}` : `${label}=~${regexAlternation(matcher.oneOf)}`;
  });
  return `{${parts.join(",")}}`;
}
