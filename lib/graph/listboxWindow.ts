/**
 * The options a long listbox renders: a window around the active one. The graph's keyboard listbox
 * lists every drawn node, and rendering thousands of options costs a large graph's first frame a
 * few hundred milliseconds for a list that is seen only while it has focus. Each rendered option
 * carries its place in the whole list (aria-posinset, aria-setsize), so screen readers still say
 * "12 of 5,000".
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
