/**
 * Which labels a refresh has to hand to Cytoscape now. Setting an element's data restyles and
 * redraws it; with thousands of edges that costs far more than a frame, while most labels are
 * either too small to be drawn at the current zoom or outside the view. Those labels wait until a
 * zoom or pan makes them visible. Large graphs (lib/graph/largeGraph.ts) treat node names the same
 * way: Cytoscape measures and places every label it has, drawn or not.
 */
import { NODE_LABEL_FONT_SIZE } from "./fitView";

export const EDGE_LABEL_FONT_SIZE = 10;
/** Labels smaller than this many screen pixels are not drawn (Cytoscape's min-zoomed-font-size). */
export const MIN_DRAWN_FONT_SIZE = 6;

export interface Point {
  x: number;
  y: number;
}

export interface Extent {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export function edgeLabelsDrawnAt(zoom: number): boolean {
  return zoom * EDGE_LABEL_FONT_SIZE >= MIN_DRAWN_FONT_SIZE;
}

export function nodeLabelsDrawnAt(zoom: number): boolean {
  return zoom * NODE_LABEL_FONT_SIZE >= MIN_DRAWN_FONT_SIZE;
}

/** How far, in graph units, a label may reach from where it is anchored: half a long label plus a curve's bend. */
export const LABEL_REACH = 120;

/** Whether a label anchored at `anchor` (a node's centre) may show in the view. */
export function labelMayBeInView(view: Extent, anchor: Point): boolean {
  const reach = LABEL_REACH;
  return anchor.x >= view.x1 - reach && anchor.x <= view.x2 + reach && anchor.y >= view.y1 - reach && anchor.y <= view.y2 + reach;
}

/** Whether an edge's label, drawn at the middle of the edge, may show in the view. */
export function edgeLabelMayBeInView(view: Extent, source: Point, target: Point): boolean {
  return labelMayBeInView(view, { x: (source.x + target.x) / 2, y: (source.y + target.y) / 2 });
}
