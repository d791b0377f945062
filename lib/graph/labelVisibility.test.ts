import { describe, expect, it } from "vitest";
import { edgeLabelMayBeInView, edgeLabelsDrawnAt, LABEL_REACH, labelMayBeInView, nodeLabelsDrawnAt } from "./labelVisibility";

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

  it("draws node names from a smaller zoom than edge labels, as names are set larger", () => {
    expect(nodeLabelsDrawnAt(0.5)).toBe(true);
    expect(edgeLabelsDrawnAt(0.5)).toBe(false);
    expect(nodeLabelsDrawnAt(0.4)).toBe(false);
  });

  it("counts a node's name as in view when the node is near enough for the text to show", () => {
    const view = { x1: 0, y1: 0, x2: 1000, y2: 1000 };
    expect(labelMayBeInView(view, { x: 1000 + LABEL_REACH / 2, y: 500 })).toBe(true);
    expect(labelMayBeInView(view, { x: 500, y: -2 * LABEL_REACH })).toBe(false);
  });
});
