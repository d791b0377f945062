"use client";

import type { Severity } from "@/lib/validation/finding";
import type { ValidationStatus } from "./findingIndex";
import styles from "./validation.module.css";

const LABEL: Record<ValidationStatus, string> = { error: "Error", warning: "Warning", info: "Info", valid: "Valid" };
const ICON: Record<ValidationStatus, string> = { error: "✖", warning: "▲", info: "ℹ", valid: "✓" };

/** The worst finding of one object, with how many findings it has; "…" while findings load. */
export function ValidationBadge({ status, count, loading }: { status: ValidationStatus; count: number; loading?: boolean }) {
  if (loading) return <span className={`${styles.badge} ${styles.unknown}`}>…</span>;
  const text = status === "valid" ? LABEL.valid : `${LABEL[status]}${count > 1 ? ` (${count})` : ""}`;
  return (
    <span className={`${styles.badge} ${styles[status]}`} data-validation={status} title={status === "valid" ? "No findings" : `${count} finding${count === 1 ? "" : "s"}`}>
      <span aria-hidden="true">{ICON[status]}</span> {text}
    </span>
  );
}

/** Errors and warnings of a namespace, as on the overview cards. */
export function SeverityCounts({ counts, loading }: { counts: Record<Severity, number>; loading?: boolean }) {
  if (loading) return <span className={styles.unknown}>… findings</span>;
  if (counts.error === 0 && counts.warning === 0) return <span className={`${styles.badge} ${styles.valid}`} data-validation="valid">✓ No errors or warnings</span>;
  return (
    <span className={styles.counts}>
      {counts.error > 0 ? <span className={`${styles.badge} ${styles.error}`} data-validation="error">✖ {counts.error} error{counts.error === 1 ? "" : "s"}</span> : null}
      {counts.warning > 0 ? <span className={`${styles.badge} ${styles.warning}`} data-validation="warning">▲ {counts.warning} warning{counts.warning === 1 ? "" : "s"}</span> : null}
    </span>
  );
}
