"use client";

import { useMemo, useState } from "react";
import { ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { useViewState } from "@/components/layout/ViewStateContext";
import { EDGE_LABEL_MODE_NAMES, EDGE_LABEL_MODES, graphElements, type EdgeLabelMode } from "@/lib/graph/elements";
import { matchesEdge, matchesNode, parseFindExpression } from "@/lib/graph/findExpression";
import { GRAPH_TYPE_LABELS, GRAPH_TYPES, type GraphEdge, type GraphNode, type GraphType } from "@/lib/graph/model";
import styles from "./graph.module.css";
import { GraphCanvas } from "./GraphCanvas";
import { Legend } from "./Legend";
import { NamespaceSuggestions } from "./NamespaceSuggestions";
import { NodeListbox } from "./NodeListbox";
import { EdgePanel, NodePanel } from "./SidePanel";
import { useGraph } from "./useGraph";
import { useGraphPageState } from "./useGraphPageState";
import { graphAppendersFor } from "@/lib/graph/pageState";
import { useProxyStatus } from "@/components/proxyStatus/useProxyStatus";
import { outOfSyncNodeIds } from "@/lib/api/proxyStatus";

const EMPTY = new Set<string>();

/** Ids of the nodes and edges an expression matches; an invalid expression matches nothing and says why. */
function useMatches(expression: string, nodes: readonly GraphNode[], edges: readonly GraphEdge[]) {
  return useMemo(() => {
    const parsed = parseFindExpression(expression);
    if (!parsed.ok) return { ids: EMPTY, error: parsed.error };
    if (parsed.clauses.length === 0) return { ids: EMPTY, error: null };
    const ids = new Set<string>();
    for (const node of nodes) if (matchesNode(parsed.clauses, node)) ids.add(node.id);
    for (const edge of edges) if (matchesEdge(parsed.clauses, edge)) ids.add(edge.id);
    return { ids, error: null };
  }, [expression, nodes, edges]);
}

function ExpressionInput({ label, value, error, onCommit }: { label: string; value: string; error: string | null; onCommit: (value: string) => void }) {
  const [draft, setDraft] = useState(value);
  const [committed, setCommitted] = useState(value);
  if (committed !== value) {
    // The URL changed from elsewhere (back button, a link): show what it says.
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
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") onCommit(draft.trim());
        }}
        onBlur={() => onCommit(draft.trim())}
      />
      {error ? <span className={styles.expressionError}>{error}</span> : null}
    </label>
  );
}

export function GraphView() {
  const { state: view } = useViewState();
  const [page, updatePage] = useGraphPageState();
  const appenders = useMemo(() => graphAppendersFor(page), [page]);
  const graph = useGraph(page.graphType, appenders);
  const [fitRequest, setFitRequest] = useState(0);

  const data = graph.data;
  const nodes = useMemo(() => data?.nodes ?? [], [data]);
  const edges = useMemo(() => data?.edges ?? [], [data]);
  const elements = useMemo(() => (data ? graphElements(data, page.edgeLabels) : { nodes: [], edges: [] }), [data, page.edgeLabels]);
  const found = useMatches(page.find, nodes, edges);
  const hidden = useMatches(page.hide, nodes, edges);
  const nodesById = useMemo(() => new Map(nodes.map((node) => [node.id, node])), [nodes]);
  const selectedNode = page.focus ? nodesById.get(page.focus) : undefined;
  const selectedEdge = page.focus && !selectedNode ? edges.find((edge) => edge.id === page.focus) : undefined;
  const proxyStatus = useProxyStatus(view.namespaces, view.namespaces.length > 0);
  const outOfSyncIds = useMemo(() => outOfSyncNodeIds(nodes, proxyStatus.data?.proxies ?? []), [nodes, proxyStatus.data]);
  const listedNodes = useMemo(() => nodes.filter((node) => !hidden.ids.has(node.id)), [nodes, hidden.ids]);

  if (view.namespaces.length === 0) return <NamespaceSuggestions />;

  return (
    <>
      <div className={styles.toolbar} role="group" aria-label="Graph settings">
        <label>
          Graph type
          <select aria-label="Graph type" value={page.graphType} onChange={(event) => updatePage({ graphType: event.target.value as GraphType, focus: null })}>
            {GRAPH_TYPES.map((type) => (
              <option key={type} value={type}>
                {GRAPH_TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Edge labels
          <select aria-label="Edge labels" value={page.edgeLabels} onChange={(event) => updatePage({ edgeLabels: event.target.value as EdgeLabelMode })}>
            {EDGE_LABEL_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {EDGE_LABEL_MODE_NAMES[mode]}
              </option>
            ))}
          </select>
        </label>
        <ExpressionInput label="Find" value={page.find} error={found.error} onCommit={(find) => updatePage({ find })} />
        <ExpressionInput label="Hide" value={page.hide} error={hidden.error} onCommit={(hide) => updatePage({ hide })} />
        <button type="button" onClick={() => setFitRequest((count) => count + 1)}>
          Zoom to fit
        </button>
        {data ? (
          <span aria-live="polite" data-testid="graph-summary">
            {nodes.length} nodes, {edges.length} edges · {data.queryCount} queries
          </span>
        ) : null}
      </div>
      {graph.isError && data ? <StaleBanner error={graph.error} /> : null}
      {data?.warnings.map((warning) => (
        <div key={warning} className="state state-stale" role="status">
          {warning}
        </div>
      ))}
      {graph.isError && !data ? <ErrorBanner title="The traffic graph could not be built" error={graph.error} onRetry={() => graph.refetch()} /> : null}
      {graph.isPending ? <Loading what="the traffic graph" /> : null}
      <div className={styles.layout}>
        <GraphCanvas elements={elements} selectedId={page.focus} foundIds={found.ids} hiddenIds={hidden.ids} onSelect={(focus) => updatePage({ focus })} fitRequest={fitRequest} outOfSyncIds={outOfSyncIds} />
        <aside className={styles.side}>
          <NodeListbox nodes={listedNodes} outOfSyncIds={outOfSyncIds} selectedId={page.focus} onSelect={(focus) => updatePage({ focus })} />
          {selectedNode ? <NodePanel node={selectedNode} /> : null}
          {selectedEdge ? <EdgePanel edge={selectedEdge} nodes={nodesById} responseTimeAsked={appenders.includes("responseTime")} /> : null}
          {!selectedNode && !selectedEdge && data && nodes.length === 0 ? <p>No traffic in these namespaces during the window.</p> : null}
          <Legend healthRules={data?.healthRules} />
        </aside>
      </div>
    </>
  );
}
