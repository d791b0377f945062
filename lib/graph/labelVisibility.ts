/**
 * Which edge labels a refresh has to hand to Cytoscape now. Setting an element's data restyles
 * and redraws it; with thousands of edges that costs far more than a frame, while most labels are
 * either too small to be drawn at the current zoom or outside the view. Those labels wait until a
 * zoom or pan makes them visible.
 */

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

/** How far, in graph units, a label may reach from the middle of its edge: half a long label plus a curve's bend. */
export const LABEL_REACH = 120;

/** Whether an edge's label, drawn at the middle of the edge, may show in the view. */
export function edgeLabelMayBeInView(view: Extent, source: Point, target: Point): boolean {
  const reach = LABEL_REACH;
  const x = (source.x + target.x) / 2;
  const y = (source.y + target.y) / 2;
  return x >= view.x1 - reach && x <= view.x2 + reach && y >= view.y1 - reach && y <= view.y2 + reach;
}
