import { describe, expect, it } from "vitest";
import { DEFAULT_GRAPH_PAGE_STATE, graphAppendersFor, type GraphPageState } from "./pageState";

const page = (change: Partial<GraphPageState>): GraphPageState => ({ ...DEFAULT_GRAPH_PAGE_STATE, ...change });

describe("graphAppendersFor", () => {
  it.each<[string, Partial<GraphPageState>, string[]]>([
    ["default edge labels (rps)", {}, ["throughput", "security"]],
    ["no edge labels", { edgeLabels: "none" }, ["throughput", "security"]],
    ["percent labels", { edgeLabels: "percent" }, ["throughput", "security"]],
    ["throughput labels", { edgeLabels: "throughput" }, ["throughput", "security"]],
    ["response-time labels", { edgeLabels: "responseTime" }, ["responseTime", "throughput", "security"]],
    ["find compares p95", { find: "p95>100" }, ["responseTime", "throughput", "security"]],
    ["find compares rt (alias of p95) among other clauses", { find: "protocol=http and rt>=5" }, ["responseTime", "throughput", "security"]],
    ["hide compares p95", { hide: "P95<1" }, ["responseTime", "throughput", "security"]],
    ["find without p95", { find: "name=reviews, rps>10", hide: "error%>1" }, ["throughput", "security"]],
    ["an expression that does not parse compares nothing", { find: "p95>fast" }, ["throughput", "security"]],
    ["p95 only as a value, not a field", { find: "name=p95" }, ["throughput", "security"]],
  ])("%s", (_, change, expected) => {
    expect(graphAppendersFor(page(change))).toEqual(expected);
  });
});
