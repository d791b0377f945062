"use client";

import { useEffect, useId, useState } from "react";
import { FIND_OPERANDS } from "@/lib/graph/findExpression";
import { BUILT_IN_PRESETS, readStoredPresets, type FindPreset } from "@/lib/graph/findPresets";
import styles from "./graph.module.css";

const STORAGE_KEY = "mesh-console.graph-presets";

export function ExpressionInput({ label, value, error, onCommit }: { label: string; value: string; error: string | null; onCommit: (value: string) => void }) {
  const [draft, setDraft] = useState(value);
  const [committed, setCommitted] = useState(value);
  const errorId = useId();
  if (committed !== value) {
    // The URL changed from elsewhere (back button, a link, a preset): show what it says.
    setCommitted(value);
    setDraft(value);
  }
  return (
    <label>
      {label}
      <input
        type="search"
        value={draft}
        placeholder="e.g. name=reviews, rps>10"
        aria-invalid={error !== null}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") onCommit(draft.trim());
        }}
        onBlur={() => onCommit(draft.trim())}
      />
      {error ? (
        <span id={errorId} className={styles.expressionError} role="alert">
          {label}: {error}
        </span>
      ) : null}
    </label>
  );
}

/** Every operand of the find/hide language, from the parser's own list. */
export function FindHelp() {
  return (
    <details className={styles.menu}>
      <summary>Find/hide help</summary>
      <div className={styles.menuBody} role="region" aria-label="Find and hide operands">
        <p>
          Conditions joined with <code>and</code> or <code>,</code>: <code>field op value</code> with <code>= != &gt; &gt;= &lt; &lt;=</code>, or a yes/no operand alone (<code>circuitbreaker</code>) or negated (<code>!sidecar</code>). Text compares without case.
        </p>
        <table className={styles.helpTable}>
          <thead>
            <tr>
              <th scope="col">Operand</th>
              <th scope="col">Type</th>
              <th scope="col">Applies to</th>
              <th scope="col">Meaning</th>
            </tr>
          </thead>
          <tbody>
            {FIND_OPERANDS.map((operand) => (
              <tr key={operand.name}>
                <td>
                  <code>{operand.name}</code>
                  {"aliases" in operand ? ` (${operand.aliases.join(", ")})` : ""}
                </td>
                <td>{operand.type === "boolean" ? "yes/no" : operand.type}</td>
                <td>{operand.scope}</td>
                <td>{operand.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** Presets: the console's, the configuration's and the person's own (saved in this browser). */
export function PresetPicker({ configured, find, hide, onApply }: { configured: readonly FindPreset[]; find: string; hide: string; onApply: (preset: FindPreset) => void }) {
  const [own, setOwn] = useState<FindPreset[]>([]);
  useEffect(() => {
    // Read after mounting: the server render has no localStorage.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- one read of the browser's store on mount
    setOwn(readStoredPresets(window.localStorage.getItem(STORAGE_KEY)));
  }, []);
  const groups: [string, readonly FindPreset[]][] = [
    ["Console", BUILT_IN_PRESETS],
    ["Configured", configured],
    ["Yours", own],
  ];
  const all = groups.flatMap(([, presets]) => presets);
  const save = () => {
    const name = window.prompt("Name of the preset", find || hide);
    if (!name) return;
    const added: FindPreset[] = [];
    if (find) added.push({ name: `${name} (find)`, target: "find", expression: find });
    if (hide) added.push({ name: `${name} (hide)`, target: "hide", expression: hide });
    const next = [...own.filter((preset) => !added.some((other) => other.name === preset.name)), ...added];
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setOwn(next);
  };
  return (
    <>
      <label>
        Presets
        <select
          aria-label="Find/hide presets"
          value=""
          onChange={(event) => {
            const preset = all[Number(event.target.value)];
            if (preset) onApply(preset);
          }}
        >
          <option value="">Choose a preset…</option>
          {groups.map(([group, presets]) =>
            presets.length === 0 ? null : (
              <optgroup key={group} label={group}>
                {presets.map((preset) => (
                  <option key={`${group}-${preset.name}`} value={all.indexOf(preset)}>
                    {preset.name}: {preset.target} {preset.expression}
                  </option>
                ))}
              </optgroup>
            ),
          )}
        </select>
      </label>
      <button type="button" onClick={save} disabled={!find && !hide}>
        Save as preset
      </button>
    </>
  );
}
