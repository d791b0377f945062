"use client";

import { refreshIntervalMs } from "@/lib/timeWindows";
import { useViewState } from "./ViewStateContext";

/** The refetch interval react-query should use for live data, from the URL's refresh setting. */
export function useRefreshInterval(): number | false {
  return refreshIntervalMs(useViewState().state.refresh);
}
