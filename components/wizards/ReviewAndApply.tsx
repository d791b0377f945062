"use client";

import { ApiError } from "@/lib/apiClient";
import { DiffView } from "./DiffView";
import type { WizardWrite } from "./useWizardWrite";
import styles from "./wizards.module.css";

/**
 * "Review changes" (a server-side dry run that answers the diff), then "Apply" for exactly what
 * was reviewed. A 409 offers a reload, which shows the state someone else left.
 */
export function ReviewAndApply({ write, body, disabledReason, onReload }: { write: WizardWrite; body: Record<string, unknown>; disabledReason?: string; onReload: () => void }) {
  const current = JSON.stringify(body);
  const reviewed = write.preview && write.previewedBody === current;
  const conflict = write.error instanceof ApiError && write.error.status === 409;
  return (
    <div>
      <div className={styles.toolbar}>
        <button type="button" onClick={() => write.review(body)} disabled={!!disabledReason || write.previewing} title={disabledReason}>
          {write.previewing ? "Checking…" : "Review changes"}
        </button>
        <button type="button" onClick={() => write.apply(body)} disabled={!!disabledReason || !reviewed || write.applying} title={disabledReason ?? (!reviewed ? "Review the changes first" : undefined)}>
          {write.applying ? "Applying…" : "Apply"}
        </button>
      </div>
      {write.error ? (
        <div className="state state-error" role="alert">
          <strong>{conflict ? "Changed by someone else since you opened it" : "The change was not applied"}</strong>
          <p>{write.error instanceof Error ? write.error.message : String(write.error)}</p>
          {conflict ? (
            <button
              type="button"
              onClick={() => {
                write.reset();
                onReload();
              }}
            >
              Reload
            </button>
          ) : null}
        </div>
      ) : null}
      {write.preview && reviewed ? <DiffView changes={write.preview.changes} /> : null}
      {write.applied ? (
        <p role="status" className="muted">
          Applied: {write.applied.changes.filter((change) => change.action !== "unchanged").map((change) => `${change.kind} ${change.name} ${change.action}d`).join(", ") || "nothing needed changing"}.
        </p>
      ) : null}
    </div>
  );
}
