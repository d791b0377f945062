import { describe, expect, it } from "vitest";
import { DEFAULT_GRAPH_PAGE_STATE, graphAppendersFor, readGraphPageState, writeGraphPageState, type GraphPageState } from "./pageState";

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

describe("graph page URL", () => {
  it("carries replay, the node-centred view and the badge switch, and leaves defaults out", () => {
    const state = page({ at: 1_700_000_030, replayFrom: 1_700_000_000, replay: "30m", node: "service~bookinfo~reviews~", depth: 2, badges: false });
    const written = writeGraphPageState(new URLSearchParams("namespaces=bookinfo"), state);
    expect(written.toString()).toBe("namespaces=bookinfo&badges=off&node=service%7Ebookinfo%7Ereviews%7E&depth=2&at=1700000030&replayFrom=1700000000&replay=30m");
    expect(readGraphPageState(written)).toEqual(state);
    expect(writeGraphPageState(new URLSearchParams(), DEFAULT_GRAPH_PAGE_STATE).toString()).toBe("");
  });

  it("carries the traffic animation only when it is on", () => {
    const written = writeGraphPageState(new URLSearchParams("namespaces=bookinfo"), page({ animation: true }));
    expect(written.toString()).toBe("namespaces=bookinfo&animation=on");
    expect(readGraphPageState(written).animation).toBe(true);
    expect(writeGraphPageState(new URLSearchParams("animation=on"), page({ animation: false })).toString()).toBe("");
  });

  it("falls back to defaults for values it does not know", () => {
    const read = readGraphPageState(new URLSearchParams("depth=99&at=soon&replay=2y&node=&animation=yes"));
    expect(read).toEqual(DEFAULT_GRAPH_PAGE_STATE);
    // A frame without a start starts the window at the frame.
    expect(readGraphPageState(new URLSearchParams("at=1700000000")).replayFrom).toBe(1_700_000_000);
  });
});
