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

/**
 * The graph with the appenders the page needs (lib/graph/pageState.ts graphAppendersFor), always
 * named: without `appenders` the API computes all of them, response time included.
 */
export function useGraph(graphType: GraphType, appenders: readonly GraphAppender[]) {
  const { state } = useViewState();
  const params = new URLSearchParams({ namespaces: state.namespaces.join(","), graphType, duration: state.window, appenders: appenders.join(",") });
  const queryKey = queryKeys.graph(state.namespaces, graphType, state.window, appenders);
  return useQuery({
    queryKey,
    queryFn: async () => {
      // The graph is the console's largest answer, compressed once on the server for every viewer.
      const graph = await fetchJson(`/api/graph?${params.toString()}`, graphResponseSchema, { headers: { accept: acceptGzippedJson() } });
      markGraphData();
      return graph;
    },
    // Switching the edge labels to response time changes only the appenders: keep drawing the graph
    // on screen until the one with latency arrives, rather than a loading state.
    placeholderData: (previous, previousQuery) => (previousQuery && sameGraphBesidesAppenders(previousQuery.queryKey, queryKey) ? previous : undefined),
    enabled: state.namespaces.length > 0,
    refetchInterval: useRefreshInterval(),
  });
}

function sameGraphBesidesAppenders(previous: readonly unknown[], next: readonly unknown[]): boolean {
  return JSON.stringify(previous.slice(0, -1)) === JSON.stringify(next.slice(0, -1));
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
