/**
 * The log viewer's own URL parameters, so a view of a log can be sent as a link:
 * `logPod`, `logContainer`, `logFollow=true`, `logSearch`, `logTail`, `logSince` (a window such as
 * `30m`; absent: the page's window) and `logWrap=false`. Prefixed so they sit beside a detail
 * page's own parameters. Parsing is forgiving (a wrong value falls back to the default).
 */
import { isDns1123Label, isDns1123Subdomain } from "@/lib/kubeNames";
import { isTimeWindow, type TimeWindow } from "@/lib/timeWindows";
import { DEFAULT_TAIL_LINES, MAX_TAIL_LINES } from "./logQuery";

export const TAIL_CHOICES = [100, 500, 1_000, MAX_TAIL_LINES] as const;

export interface LogViewState {
  pod: string | null;
  container: string | null;
  follow: boolean;
  search: string;
  tailLines: number;
  /** null: follow the page's window. */
  since: TimeWindow | null;
  wrap: boolean;
}

export const DEFAULT_LOG_VIEW: LogViewState = { pod: null, container: null, follow: false, search: "", tailLines: DEFAULT_TAIL_LINES, since: null, wrap: true };

const MAX_SEARCH_CHARS = 200;

type ParamReader = Pick<URLSearchParams, "get">;

export function readLogViewState(params: ParamReader): LogViewState {
  const pod = params.get("logPod");
  const container = params.get("logContainer");
  const tail = Number(params.get("logTail"));
  const since = params.get("logSince");
  return {
    pod: pod && isDns1123Subdomain(pod) ? pod : null,
    container: container && isDns1123Label(container) ? container : null,
    follow: params.get("logFollow") === "true",
    search: (params.get("logSearch") ?? "").slice(0, MAX_SEARCH_CHARS),
    tailLines: (TAIL_CHOICES as readonly number[]).includes(tail) ? tail : DEFAULT_TAIL_LINES,
    since: since && isTimeWindow(since) ? since : null,
    wrap: params.get("logWrap") !== "false",
  };
}

/** A copy of `params` with the viewer's state written in; defaults are left out. */
export function writeLogViewState(params: URLSearchParams, state: LogViewState): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | null) => (value === null || value === "" ? next.delete(name) : next.set(name, value));
  set("logPod", state.pod);
  set("logContainer", state.container);
  set("logFollow", state.follow ? "true" : null);
  set("logSearch", state.search.slice(0, MAX_SEARCH_CHARS));
  set("logTail", state.tailLines === DEFAULT_TAIL_LINES ? null : String(state.tailLines));
  set("logSince", state.since);
  set("logWrap", state.wrap ? null : "false");
  return next;
}
