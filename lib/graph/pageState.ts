/**
 * The graph page's own URL parameters, next to the shared ones (namespaces, window, refresh):
 * `graphType`, `focus` (the selected node or edge id), `find`, `hide`, `edgeLabels`, `badges`
 * (`off` hides config badges), `animation` (`on` animates traffic), `waypoints` (`show` draws ambient
 * waypoints as nodes instead of folding them into their edges), `node` and `depth` (the node-centred graph), and replay's `at` (the
 * frame shown, unix seconds), `replayFrom` and `replay` (the window played). A link reproduces the
 * view; unknown values fall back to defaults.
 */
import { EDGE_LABEL_MODES, type EdgeLabelMode } from "./elements";
import { comparesResponseTime } from "./findExpression";
import { GRAPH_APPENDERS, GRAPH_TYPES, type GraphAppender, type GraphType } from "./model";
import { MAX_NEIGHBOURHOOD_DEPTH } from "./neighbourhood";
import { REPLAY_LENGTHS, type ReplayLength } from "./replay";

export interface GraphPageState {
  graphType: GraphType;
  focus: string | null;
  find: string;
  hide: string;
  edgeLabels: EdgeLabelMode;
  badges: boolean;
  /** Traffic animation (lib/graph/trafficAnimation.ts); off unless asked for. */
  animation: boolean;
  /** Ambient waypoints drawn as nodes (lib/graph/waypoints.ts); folded into their edges unless asked for. */
  waypoints: boolean;
  /** The node the graph is centred on, or null for the whole namespaces. */
  node: string | null;
  depth: number;
  /** Replay: the frame shown (unix seconds), or null for the live graph. */
  at: number | null;
  replayFrom: number | null;
  replay: ReplayLength;
}

export const DEFAULT_GRAPH_PAGE_STATE: GraphPageState = { graphType: "versionedApp", focus: null, find: "", hide: "", edgeLabels: "rps", badges: true, animation: false, waypoints: false, node: null, depth: 1, at: null, replayFrom: null, replay: "10m" };

type ParamReader = Pick<URLSearchParams, "get">;

function unixSeconds(value: string | null): number | null {
  return value !== null && /^\d{1,12}$/.test(value) ? Number(value) : null;
}

export function readGraphPageState(params: ParamReader): GraphPageState {
  const graphType = params.get("graphType");
  const edgeLabels = params.get("edgeLabels");
  const depth = Number(params.get("depth"));
  const replay = params.get("replay") ?? "";
  const at = unixSeconds(params.get("at"));
  return {
    graphType: (GRAPH_TYPES as readonly string[]).includes(graphType ?? "") ? (graphType as GraphType) : DEFAULT_GRAPH_PAGE_STATE.graphType,
    focus: params.get("focus") || null,
    find: params.get("find") ?? "",
    hide: params.get("hide") ?? "",
    edgeLabels: (EDGE_LABEL_MODES as readonly string[]).includes(edgeLabels ?? "") ? (edgeLabels as EdgeLabelMode) : DEFAULT_GRAPH_PAGE_STATE.edgeLabels,
    badges: params.get("badges") !== "off",
    animation: params.get("animation") === "on",
    waypoints: params.get("waypoints") === "show",
    node: params.get("node") || null,
    depth: Number.isInteger(depth) && depth >= 1 && depth <= MAX_NEIGHBOURHOOD_DEPTH ? depth : DEFAULT_GRAPH_PAGE_STATE.depth,
    at,
    replayFrom: at === null ? null : (unixSeconds(params.get("replayFrom")) ?? at),
    replay: (REPLAY_LENGTHS as readonly string[]).includes(replay) ? (replay as ReplayLength) : DEFAULT_GRAPH_PAGE_STATE.replay,
  };
}

/** A copy of `params` with the page state written in; defaults are left out so links stay short. */
export function writeGraphPageState(params: URLSearchParams, state: GraphPageState): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | null, fallback: string | null) => {
    if (value === null || value === "" || value === fallback) next.delete(name);
    else next.set(name, value);
  };
  const text = (value: number | null) => (value === null ? null : String(value));
  const defaults = DEFAULT_GRAPH_PAGE_STATE;
  set("graphType", state.graphType, defaults.graphType);
  set("focus", state.focus, defaults.focus);
  set("find", state.find, defaults.find);
  set("hide", state.hide, defaults.hide);
  set("edgeLabels", state.edgeLabels, defaults.edgeLabels);
  set("badges", state.badges ? null : "off", null);
  set("animation", state.animation ? "on" : null, null);
  set("waypoints", state.waypoints ? "show" : null, null);
  set("node", state.node, null);
  set("depth", state.node === null ? null : String(state.depth), String(defaults.depth));
  set("at", text(state.at), null);
  set("replayFrom", state.at === null ? null : text(state.replayFrom), null);
  set("replay", state.at === null ? null : state.replay, defaults.replay);
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
