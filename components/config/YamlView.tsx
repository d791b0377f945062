"use client";

import { useEffect, useRef } from "react";
import type { Severity } from "@/lib/validation/finding";
import styles from "./config.module.css";
import { highlightLine } from "./yamlLines";

export interface LineMarker {
  readonly severity: Severity;
  readonly text: string;
}

const MARKED: Record<Severity, string> = { error: styles.markedError!, warning: styles.markedWarning!, info: styles.markedInfo! };
const NOTE: Record<Severity, string> = { error: styles.noteError!, warning: styles.noteWarning!, info: styles.noteInfo! };

/** YAML with line numbers, highlighting, and each marker shown under the line it is about. */
export function YamlView({ text, markers, focusLine, label }: { text: string; markers: ReadonlyMap<number, LineMarker[]>; focusLine?: number; label: string }) {
  const focused = useRef<HTMLLIElement>(null);
  useEffect(() => {
    focused.current?.scrollIntoView({ block: "center" });
  }, [focusLine]);
  const lines = text.replace(/\n$/, "").split("\n");
  return (
    <div className={styles.yaml} role="region" aria-label={label}>
      <ol className={styles.lines}>
        {lines.map((line, index) => {
          const number = index + 1;
          const notes = markers.get(number) ?? [];
          const worst = notes.find((note) => note.severity === "error") ?? notes.find((note) => note.severity === "warning") ?? notes[0];
          const classes = [styles.line, worst ? MARKED[worst.severity] : "", focusLine === number ? styles.focused : ""].filter(Boolean).join(" ");
          return (
            <li key={number} className={classes} data-line={number} data-marked={worst ? worst.severity : undefined} ref={focusLine === number ? focused : undefined}>
              <span className={styles.lineNumber} aria-hidden="true">
                {number}
              </span>
              <code>
                {highlightLine(line).map((token, position) => (
                  <span key={position} className={styles[token.kind]}>
                    {token.text}
                  </span>
                ))}
              </code>
              {notes.map((note, position) => (
                <span key={position} className={`${styles.note} ${NOTE[note.severity]}`} role="note">
                  {note.text}
                </span>
              ))}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** A plain textarea with a line-number gutter; lines with problems are marked in the gutter. */
export function YamlEditor({ value, onChange, marked, label }: { value: string; onChange: (text: string) => void; marked: ReadonlySet<number>; label: string }) {
  const count = value.split("\n").length;
  return (
    <div className={`${styles.yaml} ${styles.editor}`}>
      <ol className={styles.gutter} aria-hidden="true">
        {Array.from({ length: count }, (_, index) => (
          <li key={index} className={marked.has(index + 1) ? styles.gutterMarked : undefined}>
            {index + 1}
          </li>
        ))}
      </ol>
      <textarea className={styles.textarea} aria-label={label} value={value} spellCheck={false} rows={count + 1} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}
