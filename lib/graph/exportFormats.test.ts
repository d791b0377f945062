import { describe, expect, it } from "vitest";
import { dotString, exportFileName, graphToDot } from "./exportFormats";
import type { GraphResponse } from "./model";

describe("DOT export", () => {
  it("quotes any label so it cannot end the string or the statement", () => {
    expect(dotString('a "quoted" name')).toBe('"a \\"quoted\\" name"');
    expect(dotString("back\\slash")).toBe('"back\\\\slash"');
    expect(dotString("two\nlines")).toBe('"two\\nlines"');
    expect(dotString('end\\" ] ; x -> y')).toBe('"end\\\\\\" ] ; x -> y"');
  });

  it("writes every node and edge with its label", () => {
    const graph = {
      timestamp: 1_760_000_000, durationSeconds: 60, graphType: "versionedApp", namespaces: ["bookinfo"], queryCount: 3, usedRecordingRules: false, warnings: [],
      nodes: [
        { id: 'versionedApp~bookinfo~rev"iews~v2', kind: "versionedApp", namespace: "bookinfo", name: 'rev"iews', version: "v2", health: "healthy" },
        { id: "service~bookinfo~reviews~", kind: "service", namespace: "bookinfo", name: "reviews", version: null, health: "degraded" },
      ],
      edges: [{ source: "service~bookinfo~reviews~", target: 'versionedApp~bookinfo~rev"iews~v2', protocol: "http", rps: 2.5, tcpBytesPerSecond: 0, health: "healthy" }],
    } as unknown as GraphResponse;
    const dot = graphToDot(graph);
    expect(dot).toContain('"versionedApp~bookinfo~rev\\"iews~v2" [label="rev\\"iews\\nv2"');
    expect(dot).toContain('"service~bookinfo~reviews~" -> "versionedApp~bookinfo~rev\\"iews~v2" [label="2.50 rps", protocol="http"');
    expect(dot.startsWith('digraph "mesh bookinfo" {')).toBe(true);
    expect(dot.trimEnd().endsWith("}")).toBe(true);
    expect(exportFileName(graph, "dot")).toBe("mesh-graph-bookinfo-2025-10-09T08-53-20-000Z.dot");
  });
});
