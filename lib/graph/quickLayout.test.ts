import { describe, expect, it } from "vitest";
import { COLUMN_WIDTH, layeredPositions, ROW_HEIGHT } from "./quickLayout";

describe("layeredPositions", () => {
  it("puts callers left of the services they call", () => {
    const positions = layeredPositions(
      [{ id: "gateway" }, { id: "productpage", box: "bookinfo" }, { id: "reviews", box: "bookinfo" }],
      [
        { source: "gateway", target: "productpage" },
        { source: "productpage", target: "reviews" },
      ],
    );
    expect(positions.get("gateway")?.x).toBe(0);
    expect(positions.get("productpage")?.x).toBe(COLUMN_WIDTH);
    expect(positions.get("reviews")?.x).toBe(2 * COLUMN_WIDTH);
  });

  it("keeps each namespace in its own band so boxes do not overlap", () => {
    const nodes = Array.from({ length: 6 }, (_, index) => ({ id: `n${index}`, box: index < 3 ? "a" : "b" }));
    const positions = layeredPositions(nodes, []);
    const ys = (box: string) => nodes.filter((node) => node.box === box).map((node) => positions.get(node.id)?.y ?? NaN);
    expect(Math.max(...ys("a"))).toBeLessThan(Math.min(...ys("b")));
  });

  it("places every node of a cycle and no two nodes on the same spot", () => {
    const nodes = [{ id: "a" }, { id: "b" }, { id: "c" }];
    const positions = layeredPositions(nodes, [
      { source: "a", target: "b" },
      { source: "b", target: "c" },
      { source: "c", target: "a" },
    ]);
    const spots = new Set([...positions.values()].map((position) => `${position.x},${position.y}`));
    expect(positions.size).toBe(3);
    expect(spots.size).toBe(3);
  });

  it("orders a column by where the callers sit, so edges do not cross", () => {
    // By name "m" would come first, but its caller is the lower of the two.
    const positions = layeredPositions(
      [{ id: "p" }, { id: "q" }, { id: "m" }, { id: "n" }],
      [
        { source: "p", target: "n" },
        { source: "q", target: "m" },
      ],
    );
    const y = (id: string) => positions.get(id)?.y ?? NaN;
    expect(y("p")).toBeLessThan(y("q"));
    expect(y("n")).toBeLessThan(y("m"));
  });

  it("centres a short column against the tallest one of its band", () => {
    const positions = layeredPositions(
      [{ id: "gateway" }, { id: "a" }, { id: "b" }, { id: "c" }],
      [
        { source: "gateway", target: "a" },
        { source: "gateway", target: "b" },
        { source: "gateway", target: "c" },
      ],
    );
    expect(positions.get("gateway")?.y).toBe(ROW_HEIGHT);
    expect(positions.get("b")?.y).toBe(ROW_HEIGHT);
  });
});
