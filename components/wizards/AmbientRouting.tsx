"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { YamlDiff } from "@/components/common/YamlDiff";
import { ErrorBanner } from "@/components/common/states";
import type { RoutingState } from "@/lib/routing/schemas";
import { sendWaypointEnrolment } from "./routingApi";
import styles from "./wizards.module.css";

/**
 * What ambient mode means for this service's routing: behind a waypoint, the wizards' HTTPRoute
 * is applied there; without one, L7 routing cannot apply, and the service may be enrolled in a
 * waypoint of its namespace (preview first: a server-side dry run and the Service's YAML diff).
 */
export function AmbientRouting({ state, canWrite, onEnrolled }: { state: RoutingState; canWrite: boolean; onEnrolled: () => void }) {
  const ambient = state.ambient;
  const [waypoint, setWaypoint] = useState(ambient?.candidates[0]?.name ?? "");
  const enrol = useMutation({
    mutationFn: (dryRun: boolean) => sendWaypointEnrolment(state.namespace, state.service, { waypoint, resourceVersion: ambient?.serviceResourceVersion ?? "", dryRun }),
    onSuccess: (result) => {
      if (!result.dryRun) onEnrolled();
    },
  });
  if (!ambient || (ambient.dataPlane !== "ambient" && ambient.dataPlane !== "ambient-waypoint")) return null;
  if (ambient.dataPlane === "ambient-waypoint" && ambient.waypoint) {
    const where = ambient.waypoint.namespace === state.namespace ? ambient.waypoint.name : `${ambient.waypoint.namespace}/${ambient.waypoint.name}`;
    return (
      <p role="note" data-testid="ambient-routing">
        Ambient mode: waypoint <strong>{where}</strong> applies this service&apos;s L7 routing, and the canary signals are its reports.
      </p>
    );
  }
  const preview = enrol.data?.dryRun ? enrol.data : undefined;
  return (
    <section aria-label="Waypoint enrolment" className={styles.form} data-testid="ambient-routing">
      <p className="state state-stale" role="note">
        {ambient.l7Blocked}
      </p>
      {ambient.candidates.length > 0 ? (
        <>
          <label>
            Waypoint
            <select aria-label="Waypoint" value={waypoint} onChange={(event) => setWaypoint(event.target.value)}>
              {ambient.candidates.map((candidate) => (
                <option key={candidate.name} value={candidate.name}>
                  {candidate.name}
                </option>
              ))}
            </select>
          </label>
          <div className={styles.toolbar} role="group" aria-label="Enrolment">
            <button type="button" disabled={!canWrite || enrol.isPending || !waypoint} onClick={() => enrol.mutate(true)}>
              Preview enrolment
            </button>
            <button type="button" disabled={!canWrite || enrol.isPending || !preview} onClick={() => enrol.mutate(false)} title={preview ? undefined : "Preview the change first"}>
              Enrol {state.service} in {waypoint}
            </button>
          </div>
        </>
      ) : null}
      {enrol.isError ? <ErrorBanner title="Enrolment failed" error={enrol.error} /> : null}
      {preview ? (
        <figure aria-label="Enrolment preview" className={styles.diff}>
          <figcaption>
            Service {state.service} will be changed (checked by a dry run; nothing is written until you enrol)
          </figcaption>
          <YamlDiff before={preview.before} after={preview.after} />
        </figure>
      ) : null}
      {enrol.data && !enrol.data.dryRun ? <p role="status">Enrolled {state.service} in {waypoint}.</p> : null}
    </section>
  );
}
