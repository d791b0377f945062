/**
 * Traffic animation: dots travelling along the graph's edges, as many per second as the edge's
 * request rate says (on a log scale, so a 1,000 req/s edge does not drown a 1 req/s one), and red
 * for the share of its requests that failed. Pure: the page hands in the edges in view and the
 * clock, and draws what comes back on a canvas of its own over the graph (components/graph/
 * TrafficAnimation.tsx), so the graph's own renderer never redraws for a dot.
 */

/** Seconds a dot takes from an edge's source to its target, whatever the edge's length. */
export const DOT_TRAVEL_SECONDS = 2;
/** Most dots drawn in one frame: the animation's cost stays flat however large the graph. */
export const MAX_DOTS = 600;
/** Dots per second on the busiest edge, and the fewest any edge with traffic gets. */
const MAX_DOTS_PER_SECOND = 6;
const MIN_DOTS_PER_SECOND = 0.25;

export interface AnimatedEdge {
  id: string;
  /** Requests (or, for TCP, kilobytes) per second. */
  rate: number;
  /** Share of failed requests, 0 to 1. */
  errorShare: number;
}

export interface EdgeDots {
  id: string;
  /** Dots leaving the source per second. */
  dotsPerSecond: number;
  errorShare: number;
}

/** Dots per second for a rate: grows with the rate's order of magnitude, 0 without traffic. */
export function dotsPerSecond(rate: number): number {
  if (!Number.isFinite(rate) || rate <= 0) return 0;
  return Math.min(MAX_DOTS_PER_SECOND, Math.max(MIN_DOTS_PER_SECOND, MIN_DOTS_PER_SECOND + Math.log10(1 + rate) * 1.5));
}

/**
 * How many dots each edge in view carries. When the total would pass `maxDots`, the quietest
 * edges are left out first and the busiest keep their rates, so what is drawn still orders the edges
 * by traffic.
 */
export function animationPlan(edges: readonly AnimatedEdge[], maxDots: number = MAX_DOTS): EdgeDots[] {
  const planned = edges
    .map((edge) => ({ id: edge.id, dotsPerSecond: dotsPerSecond(edge.rate), errorShare: Math.min(1, Math.max(0, Number.isFinite(edge.errorShare) ? edge.errorShare : 0)) }))
    .filter((edge) => edge.dotsPerSecond > 0)
    .sort((a, b) => b.dotsPerSecond - a.dotsPerSecond || a.id.localeCompare(b.id));
  const kept: EdgeDots[] = [];
  let dots = 0;
  for (const edge of planned) {
    const onEdge = Math.ceil(edge.dotsPerSecond * DOT_TRAVEL_SECONDS);
    if (dots + onEdge > maxDots) break;
    kept.push(edge);
    dots += onEdge;
  }
  return kept;
}

export interface Dot {
  /** 0 at the source, 1 at the target. */
  progress: number;
  failed: boolean;
}

/**
 * The dots on one edge at `seconds`: evenly spaced, moving at one edge length per
 * DOT_TRAVEL_SECONDS. The same dot keeps its colour all the way along; over the dots leaving, the
 * share of red ones is the edge's error share.
 */
export function dotsAt(edge: EdgeDots, seconds: number): Dot[] {
  if (edge.dotsPerSecond <= 0) return [];
  const spacing = 1 / edge.dotsPerSecond;
  const dots: Dot[] = [];
  // Dot n left the source at n × spacing seconds; those still on the edge left within the travel time.
  const newest = Math.floor(seconds / spacing);
  for (let n = newest; n >= 0 && seconds - n * spacing < DOT_TRAVEL_SECONDS; n--) {
    dots.push({ progress: (seconds - n * spacing) / DOT_TRAVEL_SECONDS, failed: failedDot(n, edge.errorShare) });
  }
  return dots;
}

/**
 * Whether the n-th dot is red: a low-discrepancy sequence (multiples of the golden ratio's
 * fraction), so any run of dots shows close to the edge's share, without randomness.
 */
export function failedDot(n: number, errorShare: number): boolean {
  if (errorShare <= 0) return false;
  const position = (n * 0.6180339887498949) % 1;
  return position < errorShare;
}

export interface ViewExtent {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Whether any part of the straight edge from `from` to `to` may lie in `view` (their boxes overlap). */
export function edgeMayBeInView(view: ViewExtent, from: { x: number; y: number }, to: { x: number; y: number }): boolean {
  return Math.max(from.x, to.x) >= view.x1 && Math.min(from.x, to.x) <= view.x2 && Math.max(from.y, to.y) >= view.y1 && Math.min(from.y, to.y) <= view.y2;
}
