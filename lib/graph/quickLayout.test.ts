import { describe, expect, it } from "vitest";
import { COLUMN_WIDTH, layeredPositions } from "./quickLayout";

describe("layeredPositions", () => {
  it("puts callers left of the services they call", () => {
    const positions = layeredPositions(
      [{ id: "gateway" }, { id: "productpage", parent: "bookinfo" }, { id: "reviews", parent: "bookinfo" }],
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
    const nodes = Array.from({ length: 6 }, (_, index) => ({ id: `n${index}`, parent: index < 3 ? "a" : "b" }));
    const positions = layeredPositions(nodes, []);
    const ys = (parent: string) => nodes.filter((node) => node.parent === parent).map((node) => positions.get(node.id)?.y ?? NaN);
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
});
