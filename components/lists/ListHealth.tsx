"use client";

import { HealthRules } from "@/components/common/HealthRules";
import { explainHealth, rulesFromResponse, type HealthExplained } from "@/lib/healthExplanation";
import type { TrafficSummaryList } from "@/lib/signals/types";
import { healthNotesOf } from "./trafficRow";

/**
 * Above a list: the health annotations that were ignored (which object, and why), since a rule
 * that silently does not apply reads as a wrong health; and how health is judged, with the
 * console's rules as the traffic answer sent them.
 */
export function ListHealth({ judged, traffic }: { judged: Exclude<HealthExplained, "graph">; traffic: TrafficSummaryList | undefined }) {
  const notes = healthNotesOf(traffic?.items ?? []);
  return (
    <>
      {notes.length > 0 ? (
        <section className="state state-stale" aria-label="Health notes">
          <strong>Health annotations ignored</strong>
          <ul>
            {notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <details className="muted">
        <summary>How health is judged</summary>
        <HealthRules explanation={explainHealth(rulesFromResponse(traffic?.healthRules), judged)} />
      </details>
    </>
  );
}
