"use client";

import { useMemo, useState, type KeyboardEvent } from "react";
import { HEALTH_LABELS } from "@/lib/health";
import { activeListIndex, LISTBOX_PAGE, listboxOrder, listboxWindow, type ListboxPlace } from "@/lib/graph/listboxWindow";
import type { GraphNode } from "@/lib/graph/model";
import styles from "./graph.module.css";

/**
 * Keyboard access to the canvas: a listbox of the visible nodes, shown while it has focus. Arrow
 * keys move through it (Page Up and Page Down by ten), Enter or Space selects the node in the graph.
 * Nodes are listed by namespace and name, the active one stays on its node across refreshes, and a
 * large graph's list renders a window around it (lib/graph/listboxWindow.ts).
 */
export function NodeListbox({
  nodes: unordered,
  selectedId,
  onSelect,
  outOfSyncIds,
}: {
  nodes: readonly GraphNode[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  outOfSyncIds?: ReadonlySet<string>;
}) {
  const nodes = useMemo(() => listboxOrder(unordered), [unordered]);
  const ids = useMemo(() => nodes.map((node) => node.id), [nodes]);
  const [place, setPlace] = useState<ListboxPlace>({ id: null, index: 0 });
  const current = activeListIndex(ids, place, selectedId);
  const optionId = (index: number) => `graph-node-option-${index}`;
  const { start, end } = listboxWindow(current, nodes.length);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + LISTBOX_PAGE,
      PageUp: current - LISTBOX_PAGE,
      Home: 0,
      End: nodes.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      const index = Math.max(0, Math.min(nodes.length - 1, moves[event.key] as number));
      setPlace({ id: ids[index] ?? null, index });
    } else if ((event.key === "Enter" || event.key === " ") && nodes[current]) {
      event.preventDefault();
      onSelect(nodes[current].id);
    }
  }

  return (
    <div
      role="listbox"
      tabIndex={0}
      aria-label="Graph nodes (use arrow keys, Enter selects)"
      aria-activedescendant={nodes.length ? optionId(current) : undefined}
      className={styles.listbox}
      onKeyDown={onKeyDown}
    >
      {nodes.slice(start, end).map((node, offset) => {
        const index = start + offset;
        return (
          <div
            key={node.id}
            id={optionId(index)}
            role="option"
            aria-posinset={index + 1}
            aria-setsize={nodes.length}
            aria-selected={node.id === selectedId}
            className={`${styles.option} ${index === current ? styles.activeOption : ""}`}
            onClick={() => {
              setPlace({ id: node.id, index });
              onSelect(node.id);
            }}
          >
            {node.name}
            {node.version ? ` ${node.version}` : ""} ({node.namespace || node.kind}) – {HEALTH_LABELS[node.health]}
            {outOfSyncIds?.has(node.id) ? " – proxy out of sync with istiod" : ""}
          </div>
        );
      })}
    </div>
  );
}
