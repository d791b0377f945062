"use client";

import { YamlDiff } from "@/components/common/YamlDiff";
import type { RoutingChange } from "@/lib/routing/schemas";
import styles from "./wizards.module.css";

const ACTION_WORDS: Record<RoutingChange["action"], string> = { create: "will be created", replace: "will be changed", delete: "will be deleted", unchanged: "stays as it is" };

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
            <YamlDiff before={change.before} after={change.after} />
          )}
        </figure>
      ))}
    </div>
  );
}
