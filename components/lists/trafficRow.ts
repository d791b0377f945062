import type { ListRow } from "@/lib/listQuery";
import type { TrafficSummaryItem } from "@/lib/signals/types";

/**
 * A list row's traffic columns. Without a traffic answer the figures are unknown (null); with one,
 * an object missing from it had no traffic in the window.
 */
export function trafficColumns(traffic: Map<string, TrafficSummaryItem>, known: boolean, namespace: string, name: string): Pick<ListRow, "health" | "requestRate" | "errorShare" | "p95Ms"> {
  if (!known) return { health: null, requestRate: null, errorShare: null, p95Ms: null };
  const summary = traffic.get(`${namespace}/${name}`);
  if (!summary) return { health: "no-traffic", requestRate: 0, errorShare: null, p95Ms: null };
  return {
    health: summary.health,
    requestRate: summary.requestRate,
    errorShare: summary.errorRate === null ? null : summary.errorRate * 100,
    p95Ms: summary.p95Ms,
  };
}

/**
 * The health notes of a list's traffic answer, each once: a wrong annotation on a namespace is
 * reported for every object in it, and a person needs to read it only once.
 */
export function healthNotesOf(items: readonly Pick<TrafficSummaryItem, "healthNotes">[]): string[] {
  return [...new Set(items.flatMap((item) => item.healthNotes ?? []))].sort();
}
