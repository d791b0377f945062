import { describe, expect, it } from "vitest";
import { edgeLabelMayBeInView, edgeLabelsDrawnAt, LABEL_REACH } from "./labelVisibility";

describe("edge label visibility", () => {
  it("draws edge labels only from the zoom at which they are legible", () => {
    expect(edgeLabelsDrawnAt(1)).toBe(true);
    expect(edgeLabelsDrawnAt(0.7)).toBe(true);
    expect(edgeLabelsDrawnAt(0.55)).toBe(false);
  });

  it("counts a label as in view when the middle of its edge is near enough for the text to show", () => {
    const view = { x1: 0, y1: 0, x2: 1000, y2: 1000 };
    expect(edgeLabelMayBeInView(view, { x: 900, y: 500 }, { x: 3000, y: 500 })).toBe(false);
    expect(edgeLabelMayBeInView(view, { x: 500, y: 500 }, { x: 1500, y: 500 })).toBe(true);
    expect(edgeLabelMayBeInView(view, { x: 1000, y: 500 }, { x: 1000 + 2 * LABEL_REACH, y: 500 })).toBe(true);
    expect(edgeLabelMayBeInView(view, { x: -500, y: -100 }, { x: -500, y: 100 })).toBe(false);
  });
});
