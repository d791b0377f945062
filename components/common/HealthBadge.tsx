import { HEALTH_LABELS, type Health } from "@/lib/health";

const SYMBOL: Record<Health, string> = { healthy: "●", degraded: "▲", failing: "✖", "no-traffic": "○" };

/** Health told by text and shape as well as colour. */
export function HealthBadge({ health }: { health: Health | null }) {
  if (!health) return <span className="muted">—</span>;
  return (
    <span className={`health health-${health}`} data-health={health}>
      <span aria-hidden="true">{SYMBOL[health]}</span> {HEALTH_LABELS[health]}
    </span>
  );
}
