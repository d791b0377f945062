import { describe, expect, it } from "vitest";
import { escapeRegex, quoteLabelValue, regexAlternation, selector } from "./promql";

/** Reads back a PromQL double-quoted literal the way Prometheus' lexer would, returning the rest. */
function readQuoted(source: string): { value: string; rest: string } {
  expect(source[0]).toBe('"');
  let value = "";
  for (let i = 1; i < source.length; i++) {
    const char = source[i] as string;
    if (char === "\\") {
      const next = source[++i] as string;
      value += { n: "\n", r: "\r", t: "\t" }[next] ?? next;
    } else if (char === '"') {
      return { value, rest: source.slice(i + 1) };
    } else {
      value += char;
    }
  }
  throw new Error("unterminated string");
}

describe("quoteLabelValue", () => {
  const hostile = ['a"}) or vector(1', "back\\slash", 'new\nline"', "tab\there", "ünïcode", ""];
  it.each(hostile)("keeps %j inside one string literal", (value) => {
    const quoted = quoteLabelValue(value);
    const { value: decoded, rest } = readQuoted(quoted);
    expect(decoded).toBe(value);
    expect(rest).toBe("");
  });
});

describe("regex matchers", () => {
  it("escapes RE2 metacharacters so a namespace matches only itself", () => {
    expect(new RegExp(`^(?:${escapeRegex("a.b|c")})$`).test("axb")).toBe(false);
    expect(new RegExp(`^(?:${escapeRegex("a.b|c")})$`).test("a.b|c")).toBe(true);
  });

  it("joins several values into one alternation literal", () => {
    const { value } = readQuoted(regexAlternation(["bookinfo", "mesh.lab"]));
    expect(value).toBe("bookinfo|mesh\\.lab");
  });
});

describe("selector", () => {
  it("builds matchers and refuses label names that are not names", () => {
    expect(selector([{ label: "reporter", equals: "source" }, { label: "namespace", oneOf: ["a", "b"] }])).toBe(
      '{reporter="source",namespace=~"a|b"}',
    );
    expect(() => selector([{ label: 'x"}', equals: "y" }])).toThrow(/label name/);
  });

  it("excludes values literally, each one whole", () => {
    expect(selector([{ label: "namespace", noneOf: ["mesh.lab", 'a"b'] }])).toBe('{namespace!~"mesh\\\\.lab|a\\"b"}');
    expect(selector([{ label: "namespace", noneOf: ["bookinfo"] }])).toBe('{namespace!="bookinfo"}');
  });
});
