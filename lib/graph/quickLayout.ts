/**
 * A layered left-to-right layout that costs O(nodes + edges), for graphs too large for dagre to
 * lay out without freezing the page (Cytoscape layouts run on the main thread). Columns are the
 * distance from the nearest caller-less node; each namespace gets its own horizontal band, so its
 * compound box never overlaps another's.
 */

export interface LayoutNode {
  id: string;
  /** The namespace box, or undefined for nodes drawn outside any box. */
  parent?: string;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface Position {
  x: number;
  y: number;
}

export const COLUMN_WIDTH = 220;
export const ROW_HEIGHT = 70;
const BAND_GAP = 90;

export function layeredPositions(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<string, Position> {
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, number>();
  for (const node of nodes) {
    outgoing.set(node.id, []);
    incoming.set(node.id, 0);
  }
  for (const edge of edges) {
    if (edge.source === edge.target || !outgoing.has(edge.source) || !incoming.has(edge.target)) continue;
    outgoing.get(edge.source)?.push(edge.target);
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
  }
  // Breadth-first from the nodes nobody calls; nodes only reachable through a cycle start a new search.
  const column = new Map<string, number>();
  const queue: string[] = nodes.filter((node) => incoming.get(node.id) === 0).map((node) => node.id);
  for (const id of queue) column.set(id, 0);
  const visit = () => {
    for (let head = 0; head < queue.length; head++) {
      const id = queue[head] as string;
      for (const next of outgoing.get(id) ?? []) {
        if (column.has(next)) continue;
        column.set(next, (column.get(id) ?? 0) + 1);
        queue.push(next);
      }
    }
  };
  visit();
  for (const node of nodes) {
    if (column.has(node.id)) continue;
    column.set(node.id, 0);
    queue.length = 0;
    queue.push(node.id);
    visit();
  }

  const bands = new Map<string, LayoutNode[]>();
  for (const node of [...nodes].sort((a, b) => a.id.localeCompare(b.id))) {
    const band = node.parent ?? "";
    const members = bands.get(band);
    if (members) members.push(node);
    else bands.set(band, [node]);
  }
  const positions = new Map<string, Position>();
  let top = 0;
  for (const band of [...bands.keys()].sort()) {
    const rows = new Map<number, number>();
    for (const node of bands.get(band) ?? []) {
      const x = (column.get(node.id) ?? 0) * COLUMN_WIDTH;
      const row = rows.get(x) ?? 0;
      rows.set(x, row + 1);
      positions.set(node.id, { x, y: top + row * ROW_HEIGHT });
    }
    top += Math.max(1, ...rows.values()) * ROW_HEIGHT + BAND_GAP;
  }
  return positions;
}
