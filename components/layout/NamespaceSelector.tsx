"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/apiClient";
import { namespaceListSchema } from "@/lib/mesh";
import { queryKeys } from "@/lib/queryKeys";
import { useViewState } from "./ViewStateContext";

export function useNamespaces() {
  return useQuery({ queryKey: queryKeys.namespaces(), queryFn: () => fetchJson("/api/namespaces", namespaceListSchema), staleTime: 30_000 });
}

/** Picks the namespaces every view shows; the choice lives in the URL. */
export function NamespaceSelector() {
  const { state, update } = useViewState();
  const namespaces = useNamespaces();
  const selected = new Set(state.namespaces);
  const summary = state.namespaces.length === 0 ? "All namespaces" : state.namespaces.length <= 2 ? state.namespaces.join(", ") : `${state.namespaces.length} namespaces`;

  function toggle(name: string) {
    const next = new Set(selected);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    update({ namespaces: [...next] });
  }

  return (
    <details className="picker namespace-selector">
      <summary aria-label={`Namespaces: ${summary}`}>
        <span className="picker-label">Namespaces</span> <span data-testid="namespace-summary">{summary}</span>
      </summary>
      <div className="picker-panel" role="group" aria-label="Namespaces">
        {namespaces.isPending ? <p role="status">Loading namespaces…</p> : null}
        {namespaces.isError ? <p role="alert">Namespaces could not be listed: {namespaces.error.message}</p> : null}
        {namespaces.data?.namespaces.length === 0 ? <p>No namespaces are visible to the console.</p> : null}
        {namespaces.data?.namespaces.map((namespace) => (
          <label key={namespace.name} className="check">
            <input type="checkbox" checked={selected.has(namespace.name)} onChange={() => toggle(namespace.name)} />
            {namespace.name}
          </label>
        ))}
        {state.namespaces.length > 0 ? (
          <button type="button" className="link-button" onClick={() => update({ namespaces: [] })}>
            Show all namespaces
          </button>
        ) : null}
      </div>
    </details>
  );
}
