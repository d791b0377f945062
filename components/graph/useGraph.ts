"use client";

import { useQuery } from "@tanstack/react-query";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";
import { fetchJson } from "@/lib/apiClient";
import { acceptGzippedJson } from "@/lib/gzippedJson";
import { graphResponseSchema, type GraphAppender, type GraphNode, type GraphType } from "@/lib/graph/model";
import { nodeMetricsSchema } from "@/lib/graph/nodeMetrics";
import { markGraphData } from "@/lib/graph/renderTiming";
import { queryKeys } from "@/lib/queryKeys";

/** Which graph besides namespaces, type and window: a replay frame (`at`) and the node it is centred on. */
export interface GraphScope {
  at: number | null;
  node: string | null;
  depth: number;
}

/**
 * The graph with the appenders the page needs (lib/graph/pageState.ts graphAppendersFor), always
 * named: without `appenders` the API computes all of them, response time included.
 */
export function useGraph(graphType: GraphType, appenders: readonly GraphAppender[], scope: GraphScope = { at: null, node: null, depth: 1 }) {
  const { state } = useViewState();
  const params = new URLSearchParams({ namespaces: state.namespaces.join(","), graphType, duration: state.window, appenders: appenders.join(",") });
  if (scope.at !== null) params.set("queryTime", String(scope.at));
  if (scope.node !== null) {
    params.set("node", scope.node);
    params.set("depth", String(scope.depth));
  }
  const scopeKey = { at: scope.at, node: scope.node, depth: scope.node === null ? null : scope.depth };
  const queryKey = [...queryKeys.graph(state.namespaces, graphType, state.window, appenders), scopeKey] as const;
  const refetchInterval = useRefreshInterval();
  return useQuery({
    queryKey,
    queryFn: async () => {
      // The graph is the console's largest answer, compressed once on the server for every viewer.
      const graph = await fetchJson(`/api/graph?${params.toString()}`, graphResponseSchema, { headers: { accept: acceptGzippedJson() } });
      markGraphData();
      return graph;
    },
    // Switching the edge labels to response time changes only the appenders, and the next replay
    // frame only the time: keep drawing the graph on screen until the new one arrives, rather than
    // a loading state, so nodes stay where they are.
    placeholderData: (previous, previousQuery) => (previousQuery && sameGraphBesidesAppendersAndTime(previousQuery.queryKey, queryKey) ? previous : undefined),
    enabled: state.namespaces.length > 0,
    // A past graph does not change: a replay frame is asked once.
    refetchInterval: scope.at === null ? refetchInterval : false,
  });
}

function sameGraphBesidesAppendersAndTime(previous: readonly unknown[], next: readonly unknown[]): boolean {
  const withoutThem = (key: readonly unknown[]) => {
    const scope = key.at(-1) as Partial<GraphScope> | undefined;
    return JSON.stringify([...key.slice(0, -2), { node: scope?.node ?? null, depth: scope?.depth ?? null }]);
  };
  return withoutThem(previous) === withoutThem(next);
}

export function useNodeMetrics(node: GraphNode | null) {
  const { state } = useViewState();
  const chartable = node !== null && node.kind !== "unknown";
  const params = new URLSearchParams({ kind: node?.kind ?? "", namespace: node?.namespace ?? "", name: node?.name ?? "", window: state.window });
  if (node?.version) params.set("version", node.version);
  // The graph's namespaces: a gateway's or an external host's figures then count the traffic the
  // graph drew (and need only those namespaces, not every one).
  if (state.namespaces.length > 0) params.set("namespaces", state.namespaces.join(","));
  return useQuery({
    queryKey: queryKeys.graphNodeMetrics(node?.id ?? "", state.window, state.namespaces),
    queryFn: () => fetchJson(`/api/graph/node-metrics?${params.toString()}`, nodeMetricsSchema),
    enabled: chartable,
    refetchInterval: useRefreshInterval(),
  });
}
