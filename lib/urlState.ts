/**
 * The view state every page shares lives in the URL, so any view can be sent as a link:
 * `?namespaces=bookinfo,mesh-lab&window=1h&refresh=30s`. Parsing is forgiving (a wrong value falls
 * back to the default and is reported), serialising is canonical (defaults are left out).
 */
import { isDns1123Label } from "./kubeNames";
import { isRefreshInterval, isTimeWindow, type RefreshInterval, type TimeWindow } from "./timeWindows";

export interface SharedViewState {
  namespaces: string[];
  window: TimeWindow;
  refresh: RefreshInterval;
}

export interface ViewDefaults {
  window: TimeWindow;
  refresh: RefreshInterval;
}

export interface ParsedViewState {
  state: SharedViewState;
  /** Values in the URL that were not understood, worded for a banner. */
  problems: string[];
}

export const SHARED_PARAMS = ["namespaces", "window", "refresh"] as const;

type ParamReader = Pick<URLSearchParams, "get">;

export function parseViewState(params: ParamReader, defaults: ViewDefaults): ParsedViewState {
  const problems: string[] = [];

  const rawNamespaces = params.get("namespaces") ?? "";
  const namespaces: string[] = [];
  for (const name of rawNamespaces.split(",").map((part) => part.trim()).filter(Boolean)) {
    if (!isDns1123Label(name)) problems.push(`Ignored namespace ${JSON.stringify(name)}: not a valid namespace name`);
    else if (!namespaces.includes(name)) namespaces.push(name);
  }

  const rawWindow = params.get("window");
  let window = defaults.window;
  if (rawWindow !== null) {
    if (isTimeWindow(rawWindow)) window = rawWindow;
    else problems.push(`Ignored window ${JSON.stringify(rawWindow)}: expected a window such as 5m or 1h`);
  }

  const rawRefresh = params.get("refresh");
  let refresh = defaults.refresh;
  if (rawRefresh !== null) {
    if (isRefreshInterval(rawRefresh)) refresh = rawRefresh;
    else problems.push(`Ignored refresh ${JSON.stringify(rawRefresh)}: expected off, 5s, 10s, 30s or 1m`);
  }

  return { state: { namespaces: namespaces.sort(), window, refresh }, problems };
}

/**
 * Writes the shared state into `params` (a copy), keeping every other parameter a page owns.
 * Values equal to the defaults are dropped so links stay short.
 */
export function writeViewState(params: URLSearchParams, state: SharedViewState, defaults: ViewDefaults): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | null) => (value === null ? next.delete(name) : next.set(name, value));
  set("namespaces", state.namespaces.length ? [...state.namespaces].sort().join(",") : null);
  set("window", state.window === defaults.window ? null : state.window);
  set("refresh", state.refresh === defaults.refresh ? null : state.refresh);
  return next;
}

/** A link to another page that carries the shared state (and nothing page-specific) along. */
export function hrefWithViewState(pathname: string, params: ParamReader): string {
  const carried = new URLSearchParams();
  for (const name of SHARED_PARAMS) {
    const value = params.get(name);
    if (value) carried.set(name, value);
  }
  const query = carried.toString();
  return query ? `${pathname}?${query}` : pathname;
}
