import { HEALTH_LABELS, HEALTH_STATES } from "@/lib/health";
import styles from "./graph.module.css";
import { HEALTH_COLOURS } from "./graphStyle";

const BORDERS = { healthy: "solid", degraded: "dashed", failing: "double", "no-traffic": "solid" } as const;

export function Legend() {
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
    </section>
  );
}
