/**
 * The graph page's own URL parameters, next to the shared ones (namespaces, window, refresh):
 * `graphType`, `focus` (the selected node or edge id), `find`, `hide` and `edgeLabels`. A link
 * reproduces the view; unknown values fall back to defaults.
 */
import { EDGE_LABEL_MODES, type EdgeLabelMode } from "./elements";
import { comparesResponseTime } from "./findExpression";
import { GRAPH_APPENDERS, GRAPH_TYPES, type GraphAppender, type GraphType } from "./model";

export interface GraphPageState {
  graphType: GraphType;
  focus: string | null;
  find: string;
  hide: string;
  edgeLabels: EdgeLabelMode;
}

export const DEFAULT_GRAPH_PAGE_STATE: GraphPageState = { graphType: "versionedApp", focus: null, find: "", hide: "", edgeLabels: "rps" };

type ParamReader = Pick<URLSearchParams, "get">;

export function readGraphPageState(params: ParamReader): GraphPageState {
  const graphType = params.get("graphType");
  const edgeLabels = params.get("edgeLabels");
  return {
    graphType: (GRAPH_TYPES as readonly string[]).includes(graphType ?? "") ? (graphType as GraphType) : DEFAULT_GRAPH_PAGE_STATE.graphType,
    focus: params.get("focus") || null,
    find: params.get("find") ?? "",
    hide: params.get("hide") ?? "",
    edgeLabels: (EDGE_LABEL_MODES as readonly string[]).includes(edgeLabels ?? "") ? (edgeLabels as EdgeLabelMode) : DEFAULT_GRAPH_PAGE_STATE.edgeLabels,
  };
}

/** A copy of `params` with the page state written in; defaults are left out so links stay short. */
export function writeGraphPageState(params: URLSearchParams, state: GraphPageState): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: keyof GraphPageState, value: string | null) => {
    if (value === null || value === "" || value === DEFAULT_GRAPH_PAGE_STATE[name]) next.delete(name);
    else next.set(name, value);
  };
  set("graphType", state.graphType);
  set("focus", state.focus);
  set("find", state.find);
  set("hide", state.hide);
  set("edgeLabels", state.edgeLabels);
  return next;
}

/**
 * The appenders the page asks /api/graph for. Response time is most of a refresh's cost (a
 * histogram_quantile over every bucket series), so the page asks for it only while something on
 * screen uses it: the response-time edge labels, or a find or hide expression comparing p95. A
 * selected node's latency comes from its own narrow query (/api/graph/node-metrics). Throughput and
 * security are always asked: the side panel and the lock/denial marks show them.
 */
export function graphAppendersFor(state: Pick<GraphPageState, "edgeLabels" | "find" | "hide">): GraphAppender[] {
  const needsResponseTime = state.edgeLabels === "responseTime" || comparesResponseTime(state.find) || comparesResponseTime(state.hide);
  return GRAPH_APPENDERS.filter((appender) => appender !== "responseTime" || needsResponseTime);
}
