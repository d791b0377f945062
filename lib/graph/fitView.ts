/**
 * Fitting the graph to the canvas so it can be read: the layered layout is bent towards the
 * canvas's shape (columns drawn closer, rows further apart, instead of one long row with the rest
 * of the canvas empty), and zoom-to-fit never goes below the zoom at which node names are 11 px on
 * screen; a graph too big for that is shown from its callers' side and panned or scrolled to.
 */
import type { Position } from "./quickLayout";

/** Node names' font size in graph units (graphStyle.ts). */
export const NODE_LABEL_FONT_SIZE = 14;
/** The smallest on-screen size of a node name at fit. */
export const READABLE_FONT_PX = 11;
export const MIN_FIT_ZOOM = READABLE_FONT_PX / NODE_LABEL_FONT_SIZE;
/** A small graph is not blown up past this: big shapes read no better. */
export const MAX_FIT_ZOOM = 1.5;
/** The narrowest column spacing that still keeps the longest usual names (`istio-ingressgateway`) apart. */
const MIN_COLUMN_SHARE = 0.75;
const MAX_ROW_STRETCH = 3;
/** Room a node and its name take around its position, in graph units. */
const NODE_EXTENT = 120;

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Viewport {
  zoom: number;
  pan: { x: number; y: number };
}

/**
 * Positions scaled about their top-left corner so the drawing's aspect comes near the canvas's:
 * first columns are drawn closer (down to MIN_COLUMN_SHARE), then rows further apart (up to
 * MAX_ROW_STRETCH). Order and bands are kept, so the layout reads the same, only in another shape.
 */
export function bendToAspect(positions: ReadonlyMap<string, Position>, canvas: Size): Map<string, Position> {
  const all = [...positions.values()];
  if (all.length === 0 || canvas.width <= 0 || canvas.height <= 0) return new Map(positions);
  const minX = Math.min(...all.map((p) => p.x));
  const minY = Math.min(...all.map((p) => p.y));
  const width = Math.max(...all.map((p) => p.x)) - minX + NODE_EXTENT;
  const height = Math.max(...all.map((p) => p.y)) - minY + NODE_EXTENT;
  const aspect = canvas.width / canvas.height;
  let columns = 1;
  let rows = 1;
  if (width / height > aspect) {
    columns = Math.max(MIN_COLUMN_SHARE, (aspect * height) / width);
    const narrower = width * columns;
    if (narrower / height > aspect) rows = Math.min(MAX_ROW_STRETCH, narrower / (aspect * height));
  }
  const bent = new Map<string, Position>();
  for (const [id, p] of positions) bent.set(id, { x: minX + (p.x - minX) * columns, y: minY + (p.y - minY) * rows });
  return bent;
}

/**
 * The zoom and pan that show `graph` in `canvas`: all of it when that keeps names readable
 * (centred), else at the readable zoom from its top-left, callers first, centred on any axis that fits.
 */
export function readableFit(graph: Box, canvas: Size, padding: number): Viewport {
  const width = Math.max(1, graph.x2 - graph.x1);
  const height = Math.max(1, graph.y2 - graph.y1);
  const fit = Math.min((canvas.width - 2 * padding) / width, (canvas.height - 2 * padding) / height);
  const zoom = Math.min(MAX_FIT_ZOOM, Math.max(MIN_FIT_ZOOM, fit));
  const place = (start: number, extent: number, room: number) => (extent * zoom <= room - 2 * padding ? (room - extent * zoom) / 2 - start * zoom : padding - start * zoom);
  return { zoom, pan: { x: place(graph.x1, width, canvas.width), y: place(graph.y1, height, canvas.height) } };
}
