/**
 * Performance marks the graph page leaves in the browser's timeline, so the time from an answer of
 * /api/graph to the first frame that shows it can be read by anyone (DevTools, benchmarks) without
 * instrumenting the page from outside.
 */

/** Set when a graph answer has been received and parsed. */
export const GRAPH_DATA_MARK = "mesh-graph:data";
/** Measured from GRAPH_DATA_MARK to the first frame painted after the graph was updated and laid out. */
export const GRAPH_FRAME_MEASURE = "mesh-graph:data-to-frame";

export function markGraphData(): void {
  if (typeof performance !== "undefined") performance.mark(GRAPH_DATA_MARK);
}

/** Call after the drawing was updated: measures once the browser has painted the next frame. */
export function measureGraphFrame(): void {
  if (typeof performance === "undefined" || typeof requestAnimationFrame === "undefined") return;
  if (performance.getEntriesByName(GRAPH_DATA_MARK, "mark").length === 0) return;
  // The first callback runs before the next paint; the second one after it.
  requestAnimationFrame(() => requestAnimationFrame(() => performance.measure(GRAPH_FRAME_MEASURE, GRAPH_DATA_MARK)));
}
