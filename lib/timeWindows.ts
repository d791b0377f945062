/**
 * The time windows and refresh intervals a user can pick. Shared by the server's defaults and the
 * browser's URL state so a link built on one side always parses on the other.
 */

export const TIME_WINDOWS = ["1m", "5m", "10m", "30m", "1h", "3h", "6h", "12h", "1d", "7d"] as const;
export type TimeWindow = (typeof TIME_WINDOWS)[number];

export const REFRESH_INTERVALS = ["off", "5s", "10s", "30s", "1m"] as const;
export type RefreshInterval = (typeof REFRESH_INTERVALS)[number];

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in a Prometheus-style duration such as `30s`, `5m`, `1h`, `7d`; null when it is not one. */
export function durationSeconds(value: string): number | null {
  const match = /^(\d{1,6})([smhd])$/.exec(value);
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = UNIT_SECONDS[match[2] as string];
  return amount > 0 && unit ? amount * unit : null;
}

export function isTimeWindow(value: string): value is TimeWindow {
  return (TIME_WINDOWS as readonly string[]).includes(value);
}

export function isRefreshInterval(value: string): value is RefreshInterval {
  return (REFRESH_INTERVALS as readonly string[]).includes(value);
}

/** Milliseconds between refreshes, or false when refreshing is off (the shape react-query expects). */
export function refreshIntervalMs(interval: RefreshInterval): number | false {
  if (interval === "off") return false;
  return (durationSeconds(interval) ?? 0) * 1000;
}

export function windowLabel(window: TimeWindow): string {
  const labels: Record<TimeWindow, string> = {
    "1m": "Last 1 minute",
    "5m": "Last 5 minutes",
    "10m": "Last 10 minutes",
    "30m": "Last 30 minutes",
    "1h": "Last 1 hour",
    "3h": "Last 3 hours",
    "6h": "Last 6 hours",
    "12h": "Last 12 hours",
    "1d": "Last 1 day",
    "7d": "Last 7 days",
  };
  return labels[window];
}
