import { describe, expect, it } from "vitest";
import { animationPlan, DOT_TRAVEL_SECONDS, dotsAt, dotsPerSecond, edgeMayBeInView, failedDot } from "./trafficAnimation";

describe("dotsPerSecond", () => {
  it("sends no dot without traffic and more dots on busier edges", () => {
    expect(dotsPerSecond(0)).toBe(0);
    expect(dotsPerSecond(Number.NaN)).toBe(0);
    const rates = [0.01, 1, 10, 100, 1000];
    const dots = rates.map(dotsPerSecond);
    for (let i = 1; i < dots.length; i++) expect(dots[i]).toBeGreaterThan(dots[i - 1]!);
  });

  it("keeps a very busy edge within a readable number of dots", () => {
    expect(dotsPerSecond(1e9)).toBeLessThanOrEqual(6);
  });
});

describe("animationPlan", () => {
  it("leaves idle edges out and puts the busiest first", () => {
    const plan = animationPlan([
      { id: "quiet", rate: 0.5, errorShare: 0 },
      { id: "idle", rate: 0, errorShare: 0 },
      { id: "busy", rate: 200, errorShare: 0.1 },
    ]);
    expect(plan.map((edge) => edge.id)).toEqual(["busy", "quiet"]);
    expect(plan[0]!.errorShare).toBe(0.1);
  });

  it("never plans more dots than the cap, dropping the quietest edges first", () => {
    const edges = Array.from({ length: 2_000 }, (_, index) => ({ id: `e${String(index).padStart(4, "0")}`, rate: index + 1, errorShare: 0 }));
    const plan = animationPlan(edges, 300);
    const dots = plan.reduce((sum, edge) => sum + Math.ceil(edge.dotsPerSecond * DOT_TRAVEL_SECONDS), 0);
    expect(dots).toBeLessThanOrEqual(300);
    expect(plan.length).toBeGreaterThan(0);
    const quietestKept = Math.min(...plan.map((edge) => Number(edge.id.slice(1))));
    expect(quietestKept).toBeGreaterThan(1_000);
    expect(plan.some((edge) => edge.id === "e1999")).toBe(true);
  });

  it("clamps error shares to 0..1", () => {
    const [edge] = animationPlan([{ id: "e", rate: 1, errorShare: 3 }]);
    expect(edge!.errorShare).toBe(1);
  });
});

describe("dotsAt", () => {
  it("moves every dot forward along the edge as time passes", () => {
    const edge = { id: "e", dotsPerSecond: 2, errorShare: 0 };
    const early = dotsAt(edge, 10);
    const later = dotsAt(edge, 10.1);
    expect(early.length).toBe(2 * DOT_TRAVEL_SECONDS);
    for (const dot of [...early, ...later]) {
      expect(dot.progress).toBeGreaterThanOrEqual(0);
      expect(dot.progress).toBeLessThan(1);
    }
    // The dot that left at 10 s is 0.1 s further along at 10.1 s.
    expect(later.find((dot) => Math.abs(dot.progress - 0.1 / DOT_TRAVEL_SECONDS) < 1e-9)).toBeDefined();
  });

  it("carries more dots on an edge with more dots per second", () => {
    expect(dotsAt({ id: "a", dotsPerSecond: 4, errorShare: 0 }, 50).length).toBeGreaterThan(dotsAt({ id: "b", dotsPerSecond: 1, errorShare: 0 }, 50).length);
  });

  it("paints the edge's share of failed requests red, and none on a healthy edge", () => {
    const leaving = (share: number) => Array.from({ length: 1_000 }, (_, n) => failedDot(n, share)).filter(Boolean).length / 1_000;
    expect(leaving(0)).toBe(0);
    expect(leaving(0.25)).toBeCloseTo(0.25, 1);
    expect(leaving(1)).toBe(1);
    const dots = dotsAt({ id: "e", dotsPerSecond: 5, errorShare: 0.5 }, 100);
    expect(dots.some((dot) => dot.failed)).toBe(true);
    expect(dots.some((dot) => !dot.failed)).toBe(true);
  });
});

describe("edgeMayBeInView", () => {
  const view = { x1: 0, y1: 0, x2: 100, y2: 100 };
  it("takes edges with an end in view, and edges crossing the view with both ends outside", () => {
    expect(edgeMayBeInView(view, { x: 50, y: 50 }, { x: 500, y: 500 })).toBe(true);
    expect(edgeMayBeInView(view, { x: -100, y: 50 }, { x: 200, y: 50 })).toBe(true);
  });
  it("leaves out edges wholly beside the view", () => {
    expect(edgeMayBeInView(view, { x: 150, y: 0 }, { x: 300, y: 100 })).toBe(false);
    expect(edgeMayBeInView(view, { x: 0, y: -50 }, { x: 100, y: -1 })).toBe(false);
  });
});
