/**
 * The graph's keyboard listbox: the order of its options, which one is active, and the options a
 * long list renders, a window around the active one. The listbox lists every drawn node, and
 * rendering thousands of options costs a large graph's first frame a few hundred milliseconds for
 * a list that is seen only while it has focus. Each rendered option carries its place in the
 * whole list (aria-posinset, aria-setsize), so screen readers still say "12 of 5,000".
 */

/** How many options are rendered at most; graphs up to this size list every node. */
export const LISTBOX_WINDOW = 200;

/** Moves of Page Up and Page Down, in options. */
export const LISTBOX_PAGE = 10;

/** First (inclusive) and last (exclusive) index of the options to render, keeping `active` inside and near the middle. */
export function listboxWindow(active: number, total: number, size = LISTBOX_WINDOW): { start: number; end: number } {
  if (total <= size) return { start: 0, end: total };
  const start = Math.max(0, Math.min(total - size, active - Math.floor(size / 2)));
  return { start, end: start + size };
}

type ListedNode = { id: string; kind: string; namespace: string; name: string; version: string | null };

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The order a keyboard user meets the nodes in: by namespace, then name and version, the way the
 * lists elsewhere in the console read. Node ids begin with the kind, so in id order every service
 * came before every workload and a namespace's nodes were scattered through the list. Kubernetes
 * names are lower-case ASCII, so plain string comparison is the alphabetical order.
 */
export function listboxOrder<T extends ListedNode>(nodes: readonly T[]): T[] {
  return [...nodes].sort((a, b) => byText(a.namespace, b.namespace) || byText(a.name, b.name) || byText(a.version ?? "", b.version ?? "") || byText(a.kind, b.kind) || byText(a.id, b.id));
}

/** Where the keyboard user is: the node last moved to, wherever a refresh put it. */
export interface ListboxPlace {
  /** The node the user moved to, or null before the first move. */
  id: string | null;
  /** Its index when last seen, for when a refresh removes it. */
  index: number;
}

/**
 * The active option's index. A refresh that adds or removes nodes before the active one must not
 * move the user to another node, so the place is followed by id; a node that left the graph leaves
 * the user at its old index. Before the first move the list starts at the node selected in the
 * graph, if any.
 */
export function activeListIndex(ids: readonly string[], place: ListboxPlace, selectedId: string | null): number {
  if (ids.length === 0) return 0;
  const followed = place.id === null ? -1 : ids.indexOf(place.id);
  if (followed >= 0) return followed;
  if (place.id === null && selectedId !== null) {
    const selected = ids.indexOf(selectedId);
    if (selected >= 0) return selected;
  }
  return Math.min(place.index, ids.length - 1);
}
