/**
 * Where a flagged access-log line leads on the traffic graph: the workload graph of the namespaces
 * involved, focused on the workload whose proxy wrote the line, with the destination Service found
 * (`service=…`, lib/graph/findExpression.ts) when the line is an outbound call. The graph's URL
 * state is lib/graph/pageState.ts and lib/urlState.ts; this only writes it.
 */
import { nodeId } from "@/lib/graph/model";
import { writeGraphPageState, DEFAULT_GRAPH_PAGE_STATE } from "@/lib/graph/pageState";
import type { AccessLogEntry } from "./accessLog";

export function graphLinkForEntry(entry: AccessLogEntry, source: { namespace: string; workload: string }, window?: string): string {
  const destination = entry.upstreamCluster?.direction === "outbound" ? entry.upstreamCluster.service : null;
  const namespaces = [...new Set([source.namespace, ...(destination ? [destination.namespace] : [])])].sort();
  const params = new URLSearchParams({ namespaces: namespaces.join(",") });
  if (window) params.set("window", window);
  const state = { ...DEFAULT_GRAPH_PAGE_STATE, graphType: "workload" as const, focus: nodeId("workload", source.namespace, source.workload), find: destination ? `service=${destination.name}` : "" };
  return `/graph?${writeGraphPageState(params, state)}`;
}
