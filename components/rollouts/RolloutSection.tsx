"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ColumnHeaders } from "@/components/common/ColumnHeaders";
import { Empty, ErrorBanner, Loading } from "@/components/common/states";
import { apiPath, fetchJson, sendJson } from "@/lib/apiClient";
import { figure, GATE_WORDS } from "@/lib/rollouts/decision";
import { currentCanaryWeight, describeWeights, rolloutAnswerSchema, type RolloutEvent, type RolloutRecord } from "@/lib/rollouts/record";
import type { RolloutCommandInput } from "@/lib/rollouts/requests";
import { queryKeys } from "@/lib/queryKeys";
import styles from "./rollouts.module.css";

/** The timeline follows the driver's checks; a few seconds behind is what a person notices as live. */
const REFRESH_MS = 3_000;

const EVENT_TITLE: Record<RolloutEvent["kind"], string> = {
  started: "Started",
  check: "Check",
  advanced: "Advanced",
  "failed-check": "Failed check",
  aborted: "Aborted",
  promoted: "Promoted",
  paused: "Paused",
  resumed: "Resumed",
  skipped: "Moved",
  "route-changed": "Route changed elsewhere",
  "took-over": "Taken over",
  error: "Write failed",
};

const GATE_COLUMNS = ["Gate", "Measured", "Threshold", "Result"];

function rolloutPath(namespace: string, service: string, rest = ""): string {
  return apiPath(`/api/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}/rollout${rest}`);
}

/** The service page's canary autopilot: the plan's progress, the controls by hand, and the live timeline. */
export function RolloutSection({ namespace, service }: { namespace: string; service: string }) {
  const rollout = useQuery({
    queryKey: queryKeys.rollout(namespace, service),
    queryFn: () => fetchJson(rolloutPath(namespace, service), rolloutAnswerSchema),
    refetchInterval: REFRESH_MS,
  });
  return (
    <section aria-labelledby="rollout-heading" className={styles.section}>
      <h2 id="rollout-heading">Canary autopilot</h2>
      {rollout.isPending ? <Loading what="the rollout" /> : null}
      {rollout.error ? <ErrorBanner title="Could not read the rollout" error={rollout.error} onRetry={() => void rollout.refetch()} /> : null}
      {rollout.data && !rollout.data.rollout ? (
        <Empty title="No rollout of this service">Start one from Traffic shifting: choose the canary, then &quot;Start rollout…&quot;.</Empty>
      ) : null}
      {rollout.data?.rollout ? <RolloutView record={rollout.data.rollout} /> : null}
    </section>
  );
}

function RolloutView({ record }: { record: RolloutRecord }) {
  const { progress, plan } = record;
  const active = progress.phase === "progressing" || progress.phase === "paused";
  return (
    <div>
      <p role="status" aria-label="Rollout status">
        <span className={styles.phase}>{progress.phase}</span>: {record.canary} at {currentCanaryWeight(record)} % (step {progress.stepIndex + 1} of {plan.steps.length}) through the {record.route.kind} {record.route.name}
        {progress.reason ? ` — ${progress.reason}` : ""}. Failed checks {progress.failedChecks} of {plan.failureLimit} allowed.
      </p>
      <ol className={styles.steps} aria-label="Rollout steps">
        {plan.steps.map((weight, index) => {
          const done = index < progress.stepIndex || (index === progress.stepIndex && progress.phase === "promoted");
          const current = index === progress.stepIndex && progress.phase !== "aborted";
          return (
            <li key={weight} className={`${done ? styles.done : ""} ${current ? styles.current : ""}`} aria-current={current ? "step" : undefined}>
              {weight} %{done ? " ✓" : ""}
            </li>
          );
        })}
      </ol>
      <p className="muted">
        Started by {record.startedBy} at {new Date(record.startedAt).toLocaleString()} from {describeWeights(record.startWeights)}; each step held {plan.stepSeconds} s, checked every {plan.intervalSeconds} s.
      </p>
      {active ? <RolloutControls record={record} /> : null}
      <h3>Timeline</h3>
      <ol className={styles.timeline} aria-label="Rollout timeline">
        {[...record.events].reverse().map((event, index) => (
          <TimelineEntry key={`${event.at}-${index}`} event={event} />
        ))}
      </ol>
    </div>
  );
}

function RolloutControls({ record }: { record: RolloutRecord }) {
  const queryClient = useQueryClient();
  const [skipTo, setSkipTo] = useState(String(Math.min(record.progress.stepIndex + 1, record.plan.steps.length - 1)));
  const command = useMutation({
    mutationFn: (input: RolloutCommandInput) => sendJson("POST", rolloutPath(record.namespace, record.service, "/command"), input, rolloutAnswerSchema),
    onSuccess: (answer) => {
      queryClient.setQueryData(queryKeys.rollout(record.namespace, record.service), answer);
      void queryClient.invalidateQueries({ queryKey: queryKeys.rollouts() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.routing(record.namespace, record.service) });
    },
  });
  const paused = record.progress.phase === "paused";
  const busy = command.isPending;
  return (
    <div>
      <div className={styles.toolbar} role="group" aria-label="Rollout controls">
        {paused ? (
          <button type="button" disabled={busy} onClick={() => command.mutate({ command: "resume" })}>
            Resume
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => command.mutate({ command: "pause" })}>
            Pause
          </button>
        )}
        <label>
          Step{" "}
          <select value={skipTo} onChange={(event) => setSkipTo(event.target.value)} aria-label="Step to move to">
            {record.plan.steps.map((weight, index) => (
              <option key={weight} value={index}>
                {index + 1}: {weight} %
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy} onClick={() => command.mutate({ command: "skipTo", stepIndex: Number(skipTo) })}>
          Move to step
        </button>
        <button type="button" disabled={busy} onClick={() => command.mutate({ command: "promote" })}>
          Promote now
        </button>
        <button type="button" disabled={busy} onClick={() => command.mutate({ command: "abort" })}>
          Abort and restore
        </button>
      </div>
      {command.error ? (
        <div className="state state-error" role="alert">
          <strong>Not done</strong>
          <p>{command.error.message}</p>
        </div>
      ) : null}
    </div>
  );
}

function TimelineEntry({ event }: { event: RolloutEvent }) {
  const bad = event.kind === "failed-check" || event.kind === "aborted" || event.kind === "route-changed" || event.kind === "error";
  const good = event.kind === "advanced" || event.kind === "promoted";
  return (
    <li className={bad ? styles.bad : good ? styles.good : undefined}>
      <div>
        <time dateTime={event.at}>{new Date(event.at).toLocaleTimeString()}</time> <strong>{EVENT_TITLE[event.kind]}</strong> at {event.weight} % (step {event.stepIndex + 1})
        {event.repeated ? ` ×${event.repeated}` : ""}
        {event.by ? ` by ${event.by}` : ""}
      </div>
      <div>{event.message}</div>
      {event.evaluations && event.evaluations.length > 0 ? (
        <table className={styles.gates} aria-label="Gate evaluations">
          <ColumnHeaders columns={GATE_COLUMNS} />
          <tbody>
            {event.evaluations.map((evaluation) => (
              <tr key={evaluation.gate}>
                <td>{GATE_WORDS[evaluation.gate]}</td>
                <td>{evaluation.value === null ? "no data" : figure(evaluation.gate, evaluation.value)}</td>
                <td>{figure(evaluation.gate, evaluation.threshold)}</td>
                <td>{evaluation.passed === null ? "no data" : evaluation.passed ? "pass" : "fail"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </li>
  );
}
