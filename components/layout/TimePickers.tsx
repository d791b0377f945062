"use client";

import { useIsFetching, useQueryClient } from "@tanstack/react-query";
import { REFRESH_INTERVALS, TIME_WINDOWS, windowLabel, type RefreshInterval, type TimeWindow } from "@/lib/timeWindows";
import { useViewState } from "./ViewStateContext";

export function TimeWindowPicker() {
  const { state, update } = useViewState();
  return (
    <label className="picker">
      <span className="picker-label">Window</span>
      <select aria-label="Time window" value={state.window} onChange={(event) => update({ window: event.target.value as TimeWindow })}>
        {TIME_WINDOWS.map((window) => (
          <option key={window} value={window}>
            {windowLabel(window)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function RefreshPicker() {
  const { state, update } = useViewState();
  const queryClient = useQueryClient();
  const fetching = useIsFetching();
  return (
    <div className="picker refresh-picker">
      <label>
        <span className="picker-label">Refresh</span>
        <select aria-label="Refresh interval" value={state.refresh} onChange={(event) => update({ refresh: event.target.value as RefreshInterval })}>
          {REFRESH_INTERVALS.map((interval) => (
            <option key={interval} value={interval}>
              {interval === "off" ? "Off" : `Every ${interval}`}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => queryClient.invalidateQueries()} aria-label="Refresh now" disabled={fetching > 0}>
        {fetching > 0 ? "Refreshing…" : "Refresh"}
      </button>
    </div>
  );
}
