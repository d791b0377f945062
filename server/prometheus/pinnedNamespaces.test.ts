import { describe, expect, it } from "vitest";
import { queryReads, refusedReads, unquote } from "./pinnedNamespaces";
import { regexAlternation, selector } from "./promql";

const bookinfo = new Set(["bookinfo"]);
const refused = (query: string, allowed: ReadonlySet<string> = bookinfo) => refusedReads([query], allowed);
const readable = { all: false, namespaces: [] };
const everything = { all: true };

describe("which namespaces a query reads", () => {
  it.each([
    ["a plain pin", 'istio_requests_total{destination_service_namespace="bookinfo"}', [[["bookinfo"]]]],
    ["a regex alternation as promql.ts writes it", `istio_requests_total{source_workload_namespace=~${regexAlternation(["bookinfo", "mesh-lab"])}}`, [[["bookinfo", "mesh-lab"]]]],
    ["both ends pinned", 'x{source_workload_namespace="a",destination_service_namespace="b"}', [[["a"], ["b"]]]],
    ["a recording rule's metric name", 'sum(rate(workload:istio_requests_total{namespace="bookinfo"}[5m]))', [[["bookinfo"]]]],
    ["a name given as __name__", '{__name__="istio_requests_total",destination_workload_namespace="bookinfo"}', [[["bookinfo"]]]],
    ["a quoted label name", '{"istio_requests_total","destination_workload_namespace"="bookinfo"}', [[["bookinfo"]]]],
    ["no selector at all", "vector(1)", []],
    ["a `!=` matcher", 'x{destination_service_namespace!="mesh-lab"}', [[]]],
    ["a `!~` matcher", 'x{destination_service_namespace!~"mesh-lab"}', [[]]],
    ["a wildcard regex", 'x{destination_service_namespace=~".*"}', [[]]],
    ["a partial-name regex", 'x{destination_service_namespace=~"book.*"}', [[]]],
    ["an empty value, which also selects series without the label", 'x{destination_service_namespace=""}', [[]]],
    ["an alternation with an empty name", 'x{destination_service_namespace=~"bookinfo|"}', [[]]],
    ["a label that is not a namespace", 'x{destination_service_name="bookinfo"}', [[]]],
  ])("%s", (_name, query, selectors) => {
    expect(queryReads(query)).toEqual({ selectors, unparseable: false });
  });

  it("finds selectors wherever they sit: ranges, subqueries, offsets, label_replace, both sides of `or`", () => {
    const query = `label_replace(sum(rate(a{namespace="x"}[5m] offset 1m)), "p", "v", "", "") or max_over_time(b{namespace="y"}[10m:1m]) or on() c`;
    expect(queryReads(query).selectors).toEqual([[["x"]], [["y"]], []]);
  });

  it("reads escaped literals exactly as Prometheus does, so an escape cannot smuggle in another namespace", () => {
    expect(unquote('"book\\u0069nfo"')).toBe("bookinfo");
    expect(unquote("'bookinfo'")).toBe("bookinfo");
    expect(unquote("`bookinfo`")).toBe("bookinfo");
    expect(unquote('"a\\"b"')).toBe('a"b');
    // Escapes this does not read, and unterminated strings, read as nothing: they pin no namespace.
    expect(unquote('"\\142ookinfo"')).toBeUndefined();
    expect(unquote('"bookinfo')).toBeUndefined();
    expect(unquote('"bookinfo\\"')).toBeUndefined();
    expect(queryReads('x{namespace="book\\u0069nfo"}').selectors).toEqual([[["bookinfo"]]]);
    expect(queryReads('x{namespace="bookinfo|mesh-lab"}').selectors).toEqual([[]]);
  });

  it("keeps a hostile value built by promql.ts inside its matcher", () => {
    const query = `sum(rate(x${selector([{ label: "destination_service_namespace", equals: 'bookinfo"} or y{a="' }])}[5m]))`;
    expect(queryReads(query)).toEqual({ selectors: [[]], unparseable: false });
  });

  it("treats a query it cannot parse, or one reading info series implicitly, as unreadable", () => {
    expect(queryReads('x{namespace="bookinfo"').unparseable).toBe(true);
    expect(queryReads("sum(").unparseable).toBe(true);
    expect(queryReads('info(x{namespace="bookinfo"})').unparseable).toBe(true);
  });

  it("pins a metric that only one namespace's pods export to that namespace", () => {
    const homeNamespaceOf = (metric: string) => (metric.startsWith("pilot_") ? "istio-system" : undefined);
    expect(queryReads("sum(pilot_xds)", { homeNamespaceOf }).selectors).toEqual([[["istio-system"]]]);
    expect(queryReads('sum({__name__="pilot_xds"})', { homeNamespaceOf }).selectors).toEqual([[["istio-system"]]]);
    expect(queryReads('sum({__name__=~"pilot_xds"})', { homeNamespaceOf }).selectors).toEqual([[]]);
  });
});

describe("what a person limited to bookinfo may not read", () => {
  it.each([
    ["bookinfo's own traffic", 'x{destination_service_namespace="bookinfo"}', readable],
    ["traffic leaving bookinfo for mesh-lab (one end is enough)", 'x{source_workload_namespace="bookinfo",destination_service_namespace="mesh-lab"}', readable],
    ["mesh-lab's traffic", 'x{destination_service_namespace="mesh-lab"}', { all: false, namespaces: ["mesh-lab"] }],
    ["bookinfo and mesh-lab together", 'x{destination_service_namespace=~"bookinfo|mesh-lab"}', { all: false, namespaces: ["mesh-lab"] }],
    ["traffic to a name in any namespace", 'sum(rate(istio_requests_total{reporter="source",destination_service_name="reviews"}[5m]))', everything],
    ["`or` of a pinned and an unpinned selector", 'a{namespace="bookinfo"} or b', everything],
    ["`and` cannot narrow an unpinned side", 'a and on() b{namespace="bookinfo"}', everything],
    ["a wildcard namespace", 'x{namespace=~".+"}', everything],
    ["a query that does not parse", 'x{namespace="bookinfo"', everything],
    ["a constant", "vector(0)", readable],
  ])("%s", (_name, query, expected) => {
    expect(refused(query)).toEqual(expected);
  });

  it("names the namespaces of the pin closest to reach, across queries", () => {
    expect(refusedReads(['x{source_workload_namespace=~"a|b|e",destination_service_namespace="c"}', 'y{namespace="d"}'], new Set(["a"]))).toEqual({ all: false, namespaces: ["c", "d"] });
  });
});
