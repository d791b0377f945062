/**
 * Where the namespace boxes go. They are plain nodes drawn beneath the others, not Cytoscape
 * compound parents: with compound parents every style change of one node re-dirties its whole
 * namespace and the namespace's edges, which made restyling thousands of elements several times
 * slower. The price is that boxes follow their members only when told to, so the canvas asks for
 * new geometry whenever members are laid out, added, removed, dragged, hidden or shown.
 */

export interface BoxMember {
  box: string;
  /** The member's drawn extent, label included. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface BoxGeometry {
  /** Centre, as Cytoscape positions nodes. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export const BOX_PADDING = 16;

/** The box around each namespace's members; a namespace with no member drawn gets no box. */
export function namespaceBoxGeometry(members: Iterable<BoxMember>, padding = BOX_PADDING): Map<string, BoxGeometry> {
  const extents = new Map<string, { x1: number; y1: number; x2: number; y2: number }>();
  for (const member of members) {
    const extent = extents.get(member.box);
    if (!extent) {
      extents.set(member.box, { x1: member.x1, y1: member.y1, x2: member.x2, y2: member.y2 });
      continue;
    }
    extent.x1 = Math.min(extent.x1, member.x1);
    extent.y1 = Math.min(extent.y1, member.y1);
    extent.x2 = Math.max(extent.x2, member.x2);
    extent.y2 = Math.max(extent.y2, member.y2);
  }
  const geometry = new Map<string, BoxGeometry>();
  for (const [box, extent] of extents) {
    geometry.set(box, {
      x: (extent.x1 + extent.x2) / 2,
      y: (extent.y1 + extent.y2) / 2,
      width: extent.x2 - extent.x1 + 2 * padding,
      height: extent.y2 - extent.y1 + 2 * padding,
    });
  }
  return geometry;
}
