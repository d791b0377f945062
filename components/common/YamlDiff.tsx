"use client";

import { diffLines } from "@/lib/routing/diff";
import styles from "./YamlDiff.module.css";

const MARK = { same: " ", added: "+", removed: "-" } as const;

/**
 * An object's YAML before and after a change, line by line: the one rendering of a diff for every
 * write the console previews (wizards, mTLS, authorization). Added and removed lines are marked for
 * sight (colour, +/-) and for screen readers (the words "added:", "removed:").
 */
export function YamlDiff({ before, after, testId }: { before: string | null; after: string | null; testId?: string }) {
  return (
    <pre className={styles.diff} data-testid={testId}>
      {diffLines(before, after).map((line, index) => (
        <div key={index} className={line.kind === "added" ? styles.added : line.kind === "removed" ? styles.removed : undefined}>
          <span aria-hidden="true">{MARK[line.kind]} </span>
          {line.kind === "same" ? null : <span className={styles.srOnly}>{line.kind === "added" ? "added: " : "removed: "}</span>}
          {line.text}
        </div>
      ))}
    </pre>
  );
}
