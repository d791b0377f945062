/**
 * Sorting and filtering of the console's lists, driven by the URL (`?sort=errorRate&order=desc&q=rev&health=failing&label=app`):
 * pure, so the same link always shows the same rows.
 */
import type { Health } from "./health";

export interface ListRow {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  health: Health | null;
  requestRate: number | null;
  errorShare: number | null;
  p95Ms: number | null;
}

export const SORT_KEYS = ["name", "namespace", "health", "requestRate", "errorShare", "p95Ms"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface ListQuery {
  sort: SortKey;
  order: "asc" | "desc";
  /** Substring of the name, case-insensitive. */
  text: string;
  /** `key` (has the label), `!key` (lacks it) or `key=value`. */
  label: string;
  health: Health | "";
}

const HEALTH_ORDER: Record<Health, number> = { failing: 3, degraded: 2, healthy: 1, "no-traffic": 0 };
const HEALTHS = ["healthy", "degraded", "failing", "no-traffic"] as const;

export function parseListQuery(params: Pick<URLSearchParams, "get">): ListQuery {
  const sort = params.get("sort");
  const order = params.get("order");
  const health = params.get("health");
  return {
    sort: (SORT_KEYS as readonly string[]).includes(sort ?? "") ? (sort as SortKey) : "name",
    order: order === "desc" ? "desc" : "asc",
    text: (params.get("q") ?? "").slice(0, 100),
    label: (params.get("label") ?? "").slice(0, 200),
    health: (HEALTHS as readonly string[]).includes(health ?? "") ? (health as Health) : "",
  };
}

function labelMatches(filter: string, labels: Record<string, string>): boolean {
  if (!filter) return true;
  if (filter.startsWith("!")) return !(filter.slice(1) in labels);
  const equals = filter.indexOf("=");
  if (equals < 0) return filter in labels;
  return labels[filter.slice(0, equals)] === filter.slice(equals + 1);
}

function sortValue(row: ListRow, key: SortKey): number | string | null {
  if (key === "health") return row.health ? HEALTH_ORDER[row.health] : null;
  return row[key];
}

export function applyListQuery<T extends ListRow>(rows: readonly T[], query: ListQuery): T[] {
  const text = query.text.toLowerCase();
  const filtered = rows.filter((row) => (!text || row.name.toLowerCase().includes(text)) && labelMatches(query.label, row.labels) && (!query.health || row.health === query.health));
  const direction = query.order === "desc" ? -1 : 1;
  return filtered.sort((a, b) => {
    const left = sortValue(a, query.sort);
    const right = sortValue(b, query.sort);
    // Rows without a value (no traffic measured) go last whichever way the list is sorted.
    if (left === null || right === null) {
      if (left !== right) return left === null ? 1 : -1;
    } else if (left !== right) {
      return (typeof left === "string" ? left.localeCompare(right as string) : left - (right as number)) * direction;
    }
    return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
  });
}
