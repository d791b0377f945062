"use client";

import { ApiError } from "@/lib/apiClient";
import styles from "./config.module.css";
import { lineOfPath } from "./yamlLines";

export type Outcome = { kind: "ok"; message: string } | { kind: "error"; error: ApiError };

export function toOutcome(error: unknown): Outcome {
  return { kind: "error", error: error instanceof ApiError ? error : new ApiError(error instanceof Error ? error.message : String(error), 0) };
}

/** Lines of the draft that the last refusal names, for the editor's gutter. */
export function refusedLines(outcome: Outcome | undefined, draft: string): Set<number> {
  const lines = new Set<number>();
  if (outcome?.kind !== "error") return lines;
  for (const field of outcome.error.fields) {
    const line = field.field ? lineOfPath(draft, field.field) : undefined;
    if (line) lines.add(line);
  }
  return lines;
}

/** What Check or Save answered: success, the API server's refusal with its fields, or a conflict with Reload. */
export function ChangeOutcome({ outcome, draft, onReload }: { outcome: Outcome; draft: string; onReload?: () => void }) {
  if (outcome.kind === "ok") {
    return (
      <div className={`${styles.outcome} ${styles.outcomeOk}`} role="status">
        {outcome.message}
      </div>
    );
  }
  const { error } = outcome;
  return (
    <div className={`${styles.outcome} ${styles.outcomeError}`} role="alert">
      <strong>{error.isConflict ? "Someone else changed this object" : "Not saved"}</strong>
      <p>{error.message}</p>
      {error.fields.length > 0 ? (
        <ul>
          {error.fields.map((field, index) => {
            const line = field.field ? lineOfPath(draft, field.field) : undefined;
            return (
              <li key={index}>
                {line ? `Line ${line}: ` : ""}
                {field.field ? <code>{field.field}</code> : null} {field.message}
              </li>
            );
          })}
        </ul>
      ) : null}
      {error.isConflict && onReload ? (
        <button type="button" onClick={onReload}>
          Reload the current version
        </button>
      ) : null}
    </div>
  );
}
