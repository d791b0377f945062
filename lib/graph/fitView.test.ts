import { describe, expect, it } from "vitest";
import { bendToAspect, MIN_FIT_ZOOM, NODE_LABEL_FONT_SIZE, readableFit } from "./fitView";
import { COLUMN_WIDTH, layeredPositions, ROW_HEIGHT } from "./quickLayout";

describe("readable fit", () => {
  it("centres a graph that fits at a readable zoom", () => {
    const viewport = readableFit({ x1: 0, y1: 0, x2: 400, y2: 200 }, { width: 1000, height: 600 }, 30);
    expect(viewport.zoom).toBe(1.5);
    expect(viewport.pan).toEqual({ x: 200, y: 150 });
  });

  it("never shrinks names below 11 px: a wide graph is shown from its callers' side", () => {
    const viewport = readableFit({ x1: -100, y1: 0, x2: 3000, y2: 200 }, { width: 1000, height: 600 }, 30);
    expect(viewport.zoom).toBe(MIN_FIT_ZOOM);
    expect(viewport.zoom * NODE_LABEL_FONT_SIZE).toBeGreaterThanOrEqual(11);
    expect(viewport.pan.x).toBeCloseTo(30 + 100 * MIN_FIT_ZOOM);
    // The height fits, so it is centred.
    expect(viewport.pan.y).toBeCloseTo((600 - 200 * MIN_FIT_ZOOM) / 2);
  });
});

describe("bending the layout to the canvas", () => {
  it("turns a long chain into a drawing closer to the canvas's shape, keeping order", () => {
    const ids = ["a", "b", "c", "d", "e", "f", "g", "h"];
    const long = layeredPositions(ids.map((id) => ({ id })), ids.slice(1).map((id, index) => ({ source: ids[index] as string, target: id })));
    const bent = bendToAspect(long, { width: 900, height: 600 });
    const xs = ids.map((id) => bent.get(id)?.x ?? Number.NaN);
    expect(xs).toEqual([...xs].sort((p, q) => p - q));
    expect((xs[1] ?? 0) - (xs[0] ?? 0)).toBeLessThan(COLUMN_WIDTH);
    expect((xs[1] ?? 0) - (xs[0] ?? 0)).toBeGreaterThanOrEqual(COLUMN_WIDTH * 0.75);
  });

  it("spreads rows apart when columns cannot come closer", () => {
    const positions = new Map([
      ["a", { x: 0, y: 0 }],
      ["b", { x: 2000, y: 0 }],
      ["c", { x: 2000, y: ROW_HEIGHT }],
    ]);
    const bent = bendToAspect(positions, { width: 1000, height: 600 });
    expect((bent.get("c")?.y ?? 0) - (bent.get("b")?.y ?? 0)).toBeGreaterThan(ROW_HEIGHT);
  });

  it("leaves a graph already taller than the canvas alone", () => {
    const positions = new Map([
      ["a", { x: 0, y: 0 }],
      ["b", { x: 0, y: 2000 }],
    ]);
    expect(bendToAspect(positions, { width: 1000, height: 600 })).toEqual(positions);
  });
});
