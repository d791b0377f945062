/**
 * PromQL injection through the values a request carries (namespace, service, version): whatever
 * the value, the built selector holds it as exactly one string literal and nothing of it escapes
 * into the query's syntax. Checked by reading the selector back with PromQL's own string rules.
 * https://prometheus.io/docs/prometheus/latest/querying/basics/#string-literals
 */
import { describe, expect, it } from "vitest";
import { nodeScope } from "@/server/graph/nodeMetrics";
import { selector } from "./promql";

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", '"': '"' };

/** Splits PromQL text into its double-quoted literals (unescaped) and the syntax around them. */
function readLiterals(query: string): { literals: string[]; syntax: string } {
  const literals: string[] = [];
  let syntax = "";
  for (let i = 0; i < query.length; i++) {
    if (query[i] !== '"') {
      syntax += query[i];
      continue;
    }
    let literal = "";
    for (i++; i < query.length && query[i] !== '"'; i++) {
      if (query[i] === "\\") literal += ESCAPES[query[++i] ?? ""] ?? `\\${query[i]}`;
      else literal += query[i];
    }
    if (i >= query.length) throw new Error(`unterminated string literal in ${query}`);
    literals.push(literal);
    syntax += "$";
  }
  return { literals, syntax };
}

const ATTACKS = [
  ["closing the string and adding a matcher", 'reviews",destination_service_namespace=~".*'],
  ["closing the selector and OR-ing another series", 'reviews"} or vector(1) or {a="'],
  ["an escaped backslash swallowing the closing quote", "reviews\\"],
  ["a newline and comment", 'reviews"\n# rest'],
  ["regex metacharacters", "rev.*|.*"],
  ["a unicode quote look-alike and a real one", 'reviews\u201d"'],
] as const;

describe("PromQL injection", () => {
  it.each(ATTACKS)("through a service name: %s stays one literal", (_attack, value) => {
    const { scopes } = nodeScope({ kind: "service", namespace: "bookinfo", name: value, version: null, windowSeconds: 300 } as Parameters<typeof nodeScope>[0]);
    const built = selector(scopes[0] ?? []);
    const { literals, syntax } = readLiterals(built);
    expect(syntax).toBe("{reporter=$,destination_service_namespace=$,destination_service_name=$}");
    expect(literals).toEqual(["source", "bookinfo", value]);
  });

  it.each(ATTACKS)("through a version: %s stays one literal", (_attack, value) => {
    const { scopes } = nodeScope({ kind: "versionedApp", namespace: "bookinfo", name: "reviews", version: value, windowSeconds: 300 } as Parameters<typeof nodeScope>[0]);
    const { literals, syntax } = readLiterals(selector(scopes[0] ?? []));
    expect(syntax).toBe("{reporter=$,destination_workload_namespace=$,destination_canonical_service=$,destination_canonical_revision=$}");
    expect(literals.at(-1)).toBe(value);
  });

  it.each(ATTACKS)("through a namespace list: %s matches only itself", (_attack, value) => {
    const { literals, syntax } = readLiterals(selector([{ label: "destination_service_namespace", oneOf: ["bookinfo", value] }]));
    expect(syntax).toBe("{destination_service_namespace=~$}");
    expect(literals).toHaveLength(1);
    // Prometheus anchors the regex; every metacharacter of the value is escaped, so the alternation has exactly two literal branches.
    expect(new RegExp(`^(?:${literals[0]})$`).test(value)).toBe(true);
    expect(new RegExp(`^(?:${literals[0]})$`).test("reviews-anything")).toBe(false);
  });
});
