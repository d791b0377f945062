import { describe, expect, it } from "vitest";
import { exportLegend, viewToSvg, xmlText } from "./viewExport";

describe("picture of the view", () => {
  it("escapes every label so a name cannot break the SVG", () => {
    expect(xmlText(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
  });

  it("draws the nodes and edges in view where the screen shows them, with title and legend", () => {
    const svg = viewToSvg({
      width: 400, height: 300, zoom: 2, pan: { x: 10, y: 20 },
      nodes: [
        { id: "a", label: "productpage\nv1", kind: "versionedApp", health: "healthy", x: 0, y: 0 },
        { id: "b", label: "<reviews>", kind: "service", health: "failing", x: 100, y: 50 },
      ],
      edges: [{ source: "a", target: "b", label: "mTLS · 2.50 rps", health: "failing", protocol: "http" }],
      boxes: [],
      title: "bookinfo · 2026-01-01 10:00 UTC",
      legend: exportLegend(),
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="400"')).toBe(true);
    // Node a at graph (0,0) is at screen (10, 20) below the 28 px title.
    expect(svg).toContain('<circle cx="10" cy="48" r="30"');
    expect(svg).toContain('<line x1="10" y1="48" x2="210" y2="148" stroke="#c9190b"');
    expect(svg).toContain(">&lt;reviews&gt;</text>");
    expect(svg).toContain(">v1</text>");
    expect(svg).toContain(">bookinfo · 2026-01-01 10:00 UTC</text>");
    expect(svg).toContain("CB circuitBreaker");
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  });
});
