"use client";

import { useCallback, useMemo, useRef, useState } from "react";
import { ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { useViewState } from "@/components/layout/ViewStateContext";
import { EDGE_LABEL_MODE_NAMES, EDGE_LABEL_MODES, graphElements, type EdgeLabelMode } from "@/lib/graph/elements";
import { matchesEdge, matchesNode, parseFindExpression } from "@/lib/graph/findExpression";
import type { FindPreset } from "@/lib/graph/findPresets";
import { GRAPH_TYPE_LABELS, GRAPH_TYPES, type GraphEdge, type GraphNode, type GraphType } from "@/lib/graph/model";
import { MAX_NEIGHBOURHOOD_DEPTH } from "@/lib/graph/neighbourhood";
import styles from "./graph.module.css";
import { ExportMenu } from "./ExportMenu";
import { ExpressionInput, FindHelp, PresetPicker } from "./FindControls";
import { GraphCanvas, type GraphCanvasHandle } from "./GraphCanvas";
import { usePrefersReducedMotion } from "./TrafficAnimation";
import { Legend } from "./Legend";
import { NamespaceSuggestions } from "./NamespaceSuggestions";
import { NodeListbox } from "./NodeListbox";
import { formatFrameTime, ReplayControls } from "./ReplayControls";
import { EdgePanel, NodePanel } from "./SidePanel";
import { useGraph } from "./useGraph";
import { useGraphPageState } from "./useGraphPageState";
import { graphAppendersFor } from "@/lib/graph/pageState";
import { foldWaypoints } from "@/lib/graph/waypoints";
import { useProxyStatus } from "@/components/proxyStatus/useProxyStatus";
import { outOfSyncNodeIds } from "@/lib/api/proxyStatus";

const EMPTY = new Set<string>();

/** Ids of the nodes and edges an expression matches; an invalid expression matches nothing and says why. */
function useMatches(expression: string, nodes: readonly GraphNode[], edges: readonly GraphEdge[], namespaces: readonly string[]) {
  return useMemo(() => {
    const parsed = parseFindExpression(expression);
    if (!parsed.ok) return { ids: EMPTY, error: parsed.error };
    if (parsed.clauses.length === 0) return { ids: EMPTY, error: null };
    const ids = new Set<string>();
    for (const node of nodes) if (matchesNode(parsed.clauses, node, { namespaces })) ids.add(node.id);
    for (const edge of edges) if (matchesEdge(parsed.clauses, edge)) ids.add(edge.id);
    return { ids, error: null };
  }, [expression, nodes, edges, namespaces]);
}

export function GraphView({ configuredPresets = [] }: { configuredPresets?: readonly FindPreset[] }) {
  const { state: view } = useViewState();
  const [page, updatePage] = useGraphPageState();
  const appenders = useMemo(() => graphAppendersFor(page), [page]);
  const graph = useGraph(page.graphType, appenders, { at: page.at, node: page.node, depth: page.depth });
  const [fitRequest, setFitRequest] = useState(0);
  const canvasRef = useRef<GraphCanvasHandle | null>(null);
  const reducedMotion = usePrefersReducedMotion();
  const animating = page.animation && !reducedMotion;

  // Ambient waypoints are folded into their edges unless the page asks to show them (lib/graph/waypoints.ts).
  const data = useMemo(() => (graph.data && !page.waypoints ? foldWaypoints(graph.data) : graph.data), [graph.data, page.waypoints]);
  const nodes = useMemo(() => data?.nodes ?? [], [data]);
  const edges = useMemo(() => data?.edges ?? [], [data]);
  const elements = useMemo(() => (data ? graphElements(data, page.edgeLabels, { badges: page.badges }) : { nodes: [], edges: [] }), [data, page.edgeLabels, page.badges]);
  const found = useMatches(page.find, nodes, edges, view.namespaces);
  const hidden = useMatches(page.hide, nodes, edges, view.namespaces);
  const nodesById = useMemo(() => new Map(nodes.map((node) => [node.id, node])), [nodes]);
  const selectedNode = page.focus ? nodesById.get(page.focus) : undefined;
  const selectedEdge = page.focus && !selectedNode ? edges.find((edge) => edge.id === page.focus) : undefined;
  const proxyStatus = useProxyStatus(view.namespaces, view.namespaces.length > 0);
  const outOfSyncIds = useMemo(() => outOfSyncNodeIds(nodes, proxyStatus.data?.proxies ?? []), [nodes, proxyStatus.data]);
  const listedNodes = useMemo(() => nodes.filter((node) => !hidden.ids.has(node.id)), [nodes, hidden.ids]);
  const onReplayChange = useCallback((change: Partial<Pick<typeof page, "at" | "replayFrom" | "replay">>) => updatePage(change), [updatePage]);
  const applyPreset = useCallback((preset: FindPreset) => updatePage(preset.target === "find" ? { find: preset.expression } : { hide: preset.expression }), [updatePage]);

  if (view.namespaces.length === 0) return <NamespaceSuggestions />;

  const apiQuery = new URLSearchParams({ namespaces: view.namespaces.join(","), graphType: page.graphType, duration: view.window, appenders: appenders.join(",") });
  if (page.at !== null) apiQuery.set("queryTime", String(page.at));
  if (page.node !== null) {
    apiQuery.set("node", page.node);
    apiQuery.set("depth", String(page.depth));
  }
  const shownAt = data ? formatFrameTime(data.timestamp) : "";
  const title = `${view.namespaces.join(", ")} · ${GRAPH_TYPE_LABELS[page.graphType]} · ${shownAt}, last ${view.window}${page.node ? ` · centred on ${nodesById.get(page.node)?.name ?? page.node}` : ""}`;
  const centredName = page.node ? (nodesById.get(page.node)?.name ?? page.node.split("~")[2] ?? page.node) : null;

  return (
    <>
      <div className={styles.toolbar} role="group" aria-label="Graph settings">
        <label>
          Graph type
          <select aria-label="Graph type" value={page.graphType} onChange={(event) => updatePage({ graphType: event.target.value as GraphType, focus: null, node: null })}>
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
        <PresetPicker configured={configuredPresets} find={page.find} hide={page.hide} onApply={applyPreset} />
        <FindHelp />
        <details className={styles.menu}>
          <summary>Display</summary>
          <div className={styles.menuBody} role="group" aria-label="Display">
            <label>
              <input type="checkbox" checked={page.badges} onChange={(event) => updatePage({ badges: event.target.checked })} /> Config badges
            </label>
            <label>
              <input type="checkbox" checked={page.waypoints} onChange={(event) => updatePage({ waypoints: event.target.checked, focus: null })} /> Waypoints
            </label>
            <label>
              <input
                type="checkbox"
                checked={animating}
                disabled={reducedMotion}
                aria-describedby="graph-animation-note"
                onChange={(event) => updatePage({ animation: event.target.checked })}
              />{" "}
              Traffic animation
            </label>
            <span id="graph-animation-note" className={styles.menuNote}>
              {reducedMotion
                ? "Off: your system asks for reduced motion."
                : "Dots travel each edge, more of them the more requests it carries; red dots are failed requests."}
            </span>
          </div>
        </details>
        <ExportMenu graph={data} title={title} apiQuery={apiQuery} canvas={canvasRef} />
        <button type="button" onClick={() => setFitRequest((count) => count + 1)}>
          Zoom to fit
        </button>
        {data ? (
          <span aria-live="polite" data-testid="graph-summary">
            {nodes.length} nodes, {edges.length} edges · {data.queryCount} queries
          </span>
        ) : null}
      </div>
      <ReplayControls state={page} frameReady={!graph.isFetching && !graph.isPlaceholderData} onChange={onReplayChange} />
      {page.node ? (
        <div className={styles.centred} role="group" aria-label="Centred graph">
          Centred on <strong>{centredName}</strong> with its callers and callees to depth{" "}
          <select aria-label="Depth" value={page.depth} onChange={(event) => updatePage({ depth: Number(event.target.value) })}>
            {Array.from({ length: MAX_NEIGHBOURHOOD_DEPTH }, (_, index) => index + 1).map((depth) => (
              <option key={depth} value={depth}>
                {depth}
              </option>
            ))}
          </select>{" "}
          <button type="button" onClick={() => updatePage({ node: null })}>
            Show the whole namespaces
          </button>
        </div>
      ) : null}
      {graph.isError && data ? <StaleBanner error={graph.error} /> : null}
      {data?.warnings.map((warning) => (
        <div key={warning} className="state state-stale" role="status">
          {warning}
        </div>
      ))}
      {graph.isError && !data ? <ErrorBanner title="The traffic graph could not be built" error={graph.error} onRetry={() => graph.refetch()} /> : null}
      {graph.isPending ? <Loading what="the traffic graph" /> : null}
      <div className={styles.layout}>
        <GraphCanvas elements={elements} selectedId={page.focus} foundIds={found.ids} hiddenIds={hidden.ids} onSelect={(focus) => updatePage({ focus })} fitRequest={fitRequest} outOfSyncIds={outOfSyncIds} handleRef={canvasRef} animatedEdges={animating ? edges : null} />
        <aside className={styles.side}>
          <NodeListbox nodes={listedNodes} outOfSyncIds={outOfSyncIds} selectedId={page.focus} onSelect={(focus) => updatePage({ focus })} />
          {selectedNode ? <NodePanel node={selectedNode} onCentre={page.node === selectedNode.id ? undefined : () => updatePage({ node: selectedNode.id, focus: selectedNode.id })} /> : null}
          {selectedEdge ? <EdgePanel edge={selectedEdge} nodes={nodesById} responseTimeAsked={appenders.includes("responseTime")} /> : null}
          {!selectedNode && !selectedEdge && data && nodes.length === 0 ? <p>{page.node ? `No traffic to or from ${centredName} during the window.` : "No traffic in these namespaces during the window."}</p> : null}
          <Legend healthRules={data?.healthRules} />
        </aside>
      </div>
    </>
  );
}
