import { describe, expect, it } from "vitest";
import { graphViewResponse, parseGraphViewRequest } from "./graphView";

const url = (query: string) => new URL(`http://console/api/graph?namespaces=bookinfo&${query}`);

describe("graph API views", () => {
  it("reads a node-centred view and an export format", () => {
    expect(parseGraphViewRequest(url("node=service~bookinfo~reviews~&depth=2&format=dot"))).toEqual({ centre: { nodeId: "service~bookinfo~reviews~", depth: 2 }, format: "dot" });
    expect(parseGraphViewRequest(url("node=versionedApp~bookinfo~reviews~v2"))).toEqual({ centre: { nodeId: "versionedApp~bookinfo~reviews~v2", depth: 1 } });
    expect(parseGraphViewRequest(url(""))).toEqual({});
  });

  it("refuses bad values with a message naming the parameter", () => {
    expect(() => parseGraphViewRequest(url("format=xml"))).toThrow(/^format:/);
    expect(() => parseGraphViewRequest(url("node=service~bookinfo~reviews~&depth=9"))).toThrow(/depth: .*1 to 5/);
    expect(() => parseGraphViewRequest(url("node=%3Cscript%3E"))).toThrow(/node: expected a graph node id/);
    expect(() => parseGraphViewRequest(url("depth=2"))).toThrow(/only means something with node=/);
  });

  it("answers DOT as a file and JSON cut to the neighbourhood", async () => {
    const graph = {
      timestamp: 1_760_000_000, durationSeconds: 60, graphType: "workload", namespaces: ["ns"], queryCount: 3, usedRecordingRules: false, warnings: [],
      nodes: [{ id: "workload~ns~a~", name: "a", kind: "workload", namespace: "ns", health: "healthy" }, { id: "workload~ns~b~", name: "b", kind: "workload", namespace: "ns", health: "healthy" }, { id: "workload~ns~c~", name: "c", kind: "workload", namespace: "ns", health: "healthy" }],
      edges: [{ id: "e", source: "workload~ns~a~", target: "workload~ns~b~", protocol: "tcp", rps: 0, tcpBytesPerSecond: 10, health: "healthy" }],
    };
    const body = new TextEncoder().encode(JSON.stringify(graph));
    const dot = graphViewResponse(body, { format: "dot" });
    expect(dot.headers.get("content-type")).toBe("text/vnd.graphviz; charset=utf-8");
    expect(dot.headers.get("content-disposition")).toMatch(/^attachment; filename="mesh-graph-ns-.*\.dot"$/);
    expect(await dot.text()).toContain('"workload~ns~a~" -> "workload~ns~b~" [label="10 B/s"');
    const centred = (await graphViewResponse(body, { centre: { nodeId: "workload~ns~b~", depth: 1 } }).json()) as typeof graph;
    expect(centred.nodes.map((node) => node.name)).toEqual(["a", "b"]);
  });
});
