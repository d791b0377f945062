"use client";

import { diffLines } from "@/lib/routing/diff";
import type { RoutingChange } from "@/lib/routing/schemas";
import styles from "./wizards.module.css";

const ACTION_WORDS: Record<RoutingChange["action"], string> = { create: "will be created", replace: "will be changed", delete: "will be deleted", unchanged: "stays as it is" };
const MARK = { same: " ", added: "+", removed: "-" } as const;

/** The YAML of each object the change touches, as a line diff against what is stored now. */
export function DiffView({ changes }: { changes: readonly RoutingChange[] }) {
  if (changes.length === 0) return <p className="muted">Nothing to change: the objects already say this.</p>;
  return (
    <div aria-label="Changes to apply" role="region">
      {changes.map((change) => (
        <figure key={`${change.kind}/${change.name}`} className={styles.diff}>
          <figcaption>
            {change.kind} {change.name} {ACTION_WORDS[change.action]}
          </figcaption>
          {change.action === "unchanged" ? null : (
            <pre>
              {diffLines(change.before, change.after).map((line, index) => (
                <div key={index} className={line.kind === "added" ? styles.added : line.kind === "removed" ? styles.removed : undefined}>
                  <span aria-hidden="true">{MARK[line.kind]} </span>
                  {line.kind === "same" ? null : <span className={styles.srOnly}>{line.kind === "added" ? "added: " : "removed: "}</span>}
                  {line.text}
                </div>
              ))}
            </pre>
          )}
        </figure>
      ))}
    </div>
  );
}
