import { DEFAULT_HEALTH_THRESHOLDS, explainHealthThresholds, HEALTH_ANNOTATION, HEALTH_LABELS, HEALTH_STATES, parseHealthThresholds } from "@/lib/health";
import styles from "./graph.module.css";
import { HEALTH_COLOURS } from "./graphStyle";

const BORDERS = { healthy: "solid", degraded: "dashed", failing: "double", "no-traffic": "solid" } as const;

/** `healthRules`: the console's health rules as the graph sent them (lib/health.ts format). */
export function Legend({ healthRules }: { healthRules?: string }) {
  const parsed = healthRules === undefined ? null : parseHealthThresholds(healthRules);
  const rules = parsed && parsed.problems.length === 0 ? parsed.rules : DEFAULT_HEALTH_THRESHOLDS;
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
        <li>🔒 on an edge: all its traffic used mutual TLS</li>
        <li>Dashed blue edge: TCP</li>
        <li>Orange fill: pods without the Istio sidecar</li>
      </ul>
      <h3>Health</h3>
      <p>Judged from the share of a node&apos;s received requests (sent, for a node nobody calls); TCP-only traffic is healthy. The worst rule wins:</p>
      <ul className={styles.legend} aria-label="Health rules">
        {explainHealthThresholds(rules).map((sentence) => (
          <li key={sentence}>{sentence}</li>
        ))}
      </ul>
      <p>
        A namespace, Service or Deployment may override these with the <code>{HEALTH_ANNOTATION}</code> annotation.
      </p>
    </section>
  );
}
