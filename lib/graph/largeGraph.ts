/**
 * Level of detail for large graphs. Cytoscape's bounding box of a node measures its label's text,
 * which means laying out every label's font: at 5,000 nodes that measuring, done for the namespace
 * boxes and the fit before anything is drawn, costs seconds of the first frame. Past
 * LARGE_GRAPH_NODES the drawing estimates a node's extent from its position and the length of its
 * label instead; the estimate only sizes namespace boxes and the fitted view, where a few pixels of
 * difference do not show.
 */

/** From this many drawn nodes on, extents are estimated rather than measured. */
export const LARGE_GRAPH_NODES = 1_500;

/** Average width of a character, as a share of the font size, for the sans-serif fonts the page ships. */
const AVERAGE_CHARACTER_WIDTH = 0.6;
const LINE_HEIGHT = 1.2;

export interface NodeGeometry {
  /** The node's width and height in model units. */
  size: number;
  fontSize: number;
  /** Space between the node's bottom and its label's first line. */
  labelGap: number;
}

export interface Extent {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A node's box with its label drawn below it, estimated from the label's lines and their length. */
export function estimatedNodeExtent(position: { x: number; y: number }, label: string, geometry: NodeGeometry): Extent {
  const lines = label === "" ? [] : label.split("\n");
  const longest = lines.reduce((most, line) => Math.max(most, line.length), 0);
  const width = Math.max(geometry.size, longest * geometry.fontSize * AVERAGE_CHARACTER_WIDTH);
  const labelHeight = lines.length === 0 ? 0 : geometry.labelGap + lines.length * geometry.fontSize * LINE_HEIGHT;
  return { x1: position.x - width / 2, x2: position.x + width / 2, y1: position.y - geometry.size / 2, y2: position.y + geometry.size / 2 + labelHeight };
}

/** The smallest extent holding all of `extents`, or null for none. */
export function unionExtent(extents: Iterable<Extent>): Extent | null {
  let union: Extent | null = null;
  for (const extent of extents) {
    union = union ? { x1: Math.min(union.x1, extent.x1), y1: Math.min(union.y1, extent.y1), x2: Math.max(union.x2, extent.x2), y2: Math.max(union.y2, extent.y2) } : { ...extent };
  }
  return union;
}
