/**
 * A layered left-to-right layout that costs O(nodes + edges), so the page can lay out any graph
 * within a frame or two (Cytoscape layouts run on the main thread, and dagre takes most of a second
 * even at a hundred nodes). Columns are the distance from the nearest caller-less node; each
 * namespace gets its own horizontal band, so its box never overlaps another's. Within a column,
 * nodes are ordered by where their already placed neighbours sit, which keeps most edges short and
 * uncrossed, and each column is centred in its band.
 */

export interface LayoutNode {
  id: string;
  /** The namespace box, or undefined for nodes drawn outside any box. */
  box?: string;
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

function columnsFromCallers(nodes: readonly LayoutNode[], outgoing: ReadonlyMap<string, string[]>, incoming: ReadonlyMap<string, number>): Map<string, number> {
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
  return column;
}

export function layeredPositions(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<string, Position> {
  const outgoing = new Map<string, string[]>();
  const neighbours = new Map<string, string[]>();
  const incoming = new Map<string, number>();
  for (const node of nodes) {
    outgoing.set(node.id, []);
    neighbours.set(node.id, []);
    incoming.set(node.id, 0);
  }
  for (const edge of edges) {
    if (edge.source === edge.target || !outgoing.has(edge.source) || !incoming.has(edge.target)) continue;
    outgoing.get(edge.source)?.push(edge.target);
    neighbours.get(edge.source)?.push(edge.target);
    neighbours.get(edge.target)?.push(edge.source);
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
  }
  const column = columnsFromCallers(nodes, outgoing, incoming);

  const bands = new Map<string, Map<number, LayoutNode[]>>();
  for (const node of [...nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const band = node.box ?? "";
    const columns = bands.get(band) ?? new Map<number, LayoutNode[]>();
    bands.set(band, columns);
    const index = column.get(node.id) ?? 0;
    const members = columns.get(index);
    if (members) members.push(node);
    else columns.set(index, [node]);
  }

  const positions = new Map<string, Position>();
  let top = 0;
  for (const band of [...bands.keys()].sort()) {
    const columns = bands.get(band) ?? new Map<number, LayoutNode[]>();
    const bandRows = Math.max(1, ...[...columns.values()].map((members) => members.length));
    for (const index of [...columns.keys()].sort((a, b) => a - b)) {
      const members = columns.get(index) ?? [];
      // Nodes with no placed neighbour keep their name order, after the others.
      const ordered = members
        .map((node, order) => {
          let sum = 0;
          let count = 0;
          for (const other of neighbours.get(node.id) ?? []) {
            const placed = positions.get(other);
            if (placed === undefined) continue;
            sum += placed.y;
            count += 1;
          }
          return { node, order, rank: count > 0 ? sum / count : Number.POSITIVE_INFINITY };
        })
        .sort((a, b) => (a.rank === b.rank ? a.order - b.order : a.rank < b.rank ? -1 : 1));
      const offset = ((bandRows - members.length) / 2) * ROW_HEIGHT;
      ordered.forEach(({ node }, row) => positions.set(node.id, { x: index * COLUMN_WIDTH, y: top + offset + row * ROW_HEIGHT }));
    }
    top += bandRows * ROW_HEIGHT + BAND_GAP;
  }
  return positions;
}
