import { HealthRules } from "@/components/common/HealthRules";
import { HEALTH_LABELS, HEALTH_STATES } from "@/lib/health";
import { explainHealth, rulesFromResponse } from "@/lib/healthExplanation";
import styles from "./graph.module.css";
import { HEALTH_COLOURS } from "./graphStyle";
import { BADGE_LETTERS } from "@/lib/graph/elements";

/** A padlock drawn as SVG, so it shows whatever fonts the machine has. */
function LockIcon() {
  return (
    <svg width="12" height="14" viewBox="0 0 12 14" aria-hidden="true" className={styles.icon} data-testid="legend-lock">
      <path d="M3 6V4a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <rect x="1" y="6" width="10" height="7" rx="1.5" fill="currentColor" />
    </svg>
  );
}

const BADGE_MEANINGS: Record<keyof typeof BADGE_LETTERS, string> = {
  virtualService: "VirtualService routes it",
  httpRoute: "HTTPRoute routes it",
  circuitBreaker: "circuit breaker (connection pool or outlier detection)",
  faultInjection: "fault injection",
  mirroring: "mirroring",
  timeoutsRetries: "timeout or retries",
  missingSidecar: "no sidecar",
  findings: "validation findings (E errors, W warnings)",
};

const BORDERS = { healthy: "solid", degraded: "dashed", failing: "double", "no-traffic": "solid" } as const;

/** `healthRules`: the console's health rules as the graph sent them (lib/health.ts format). */
export function Legend({ healthRules }: { healthRules?: string }) {
  return (
    <section className={styles.panel} aria-label="Legend">
      <h2>Legend</h2>
      <ul className={styles.legend}>
        {HEALTH_STATES.map((health) => (
          <li key={health}>
            <span className={styles.swatch} style={{ border: `3px ${BORDERS[health]} ${HEALTH_COLOURS[health]}` }} aria-hidden="true" />
            {HEALTH_LABELS[health]} ({BORDERS[health]} border)
          </li>
        ))}
        <li>Circle: app · Rounded square: workload · Triangle: service · Diamond: external host · Hexagon: unknown source · Pentagon: gateway</li>
        <li>
          <LockIcon /> &quot;mTLS&quot; on an edge: all its traffic used mutual TLS
        </li>
        <li>&quot;would be denied&quot; on an edge: with the security display, the AuthorizationPolicies in force would deny the edge&apos;s callers (&quot;may be&quot; when a policy checks paths or methods the metrics do not show)</li>
        <li>&quot;denied (403)&quot; on an edge: requests answered 403 Forbidden, as AuthorizationPolicy denials are</li>
        <li>Dashed blue edge: TCP</li>
        <li>Orange fill: pods without the Istio sidecar</li>
        <li>Dotted outline: a proxy out of sync with istiod (STALE or ERROR in proxy-status)</li>
        <li>
          Badges under a name:{" "}
          {Object.entries(BADGE_LETTERS)
            .map(([badge, letters]) => `${letters} ${BADGE_MEANINGS[badge as keyof typeof BADGE_LETTERS]}`)
            .join(" · ")}
        </li>
      </ul>
      <h3>Health</h3>
      <HealthRules explanation={explainHealth(rulesFromResponse(healthRules), "graph")} listClassName={styles.legend} />
    </section>
  );
}
