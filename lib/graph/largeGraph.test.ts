import { describe, expect, it } from "vitest";
import { estimatedNodeExtent, unionExtent } from "./largeGraph";

const geometry = { size: 30, fontSize: 14, labelGap: 4 };

describe("estimatedNodeExtent", () => {
  it("puts a short label's node in a box as wide as the node, with the label below", () => {
    const extent = estimatedNodeExtent({ x: 100, y: 50 }, "db", geometry);
    expect(extent.x1).toBe(85);
    expect(extent.x2).toBe(115);
    expect(extent.y1).toBe(35);
    expect(extent.y2).toBeGreaterThan(65 + 14);
  });

  it("widens with the longest line and deepens with every line", () => {
    const one = estimatedNodeExtent({ x: 0, y: 0 }, "reviews-v2-canary", geometry);
    const two = estimatedNodeExtent({ x: 0, y: 0 }, "reviews-v2-canary\nVS CB", geometry);
    expect(one.x2 - one.x1).toBeGreaterThan(30);
    expect(two.x2 - two.x1).toBe(one.x2 - one.x1);
    expect(two.y2).toBeGreaterThan(one.y2);
  });

  it("holds only the node when there is no label", () => {
    expect(estimatedNodeExtent({ x: 0, y: 0 }, "", geometry)).toEqual({ x1: -15, x2: 15, y1: -15, y2: 15 });
  });
});

describe("unionExtent", () => {
  it("covers every extent, and is null for none", () => {
    expect(unionExtent([])).toBeNull();
    expect(unionExtent([{ x1: 0, y1: 0, x2: 1, y2: 1 }, { x1: -5, y1: 2, x2: 0, y2: 9 }])).toEqual({ x1: -5, y1: 0, x2: 1, y2: 9 });
  });
});
