/**
 * Health of a group (a namespace, an app): that of its worst member, so one failing workload is
 * never averaged away by healthy neighbours.
 */
import type { Health } from "@/lib/health";

const SEVERITY: Record<Health, number> = { "no-traffic": 0, healthy: 1, degraded: 2, failing: 3 };

export function worstHealth(healths: Iterable<Health>): Health {
  let worst: Health = "no-traffic";
  for (const health of healths) if (SEVERITY[health] > SEVERITY[worst]) worst = health;
  return worst;
}
