/**
 * How a time window becomes a Prometheus range query: a step that keeps every chart at a bounded
 * number of points, and a rate window wide enough to hold several scrapes whatever the step.
 */
import { durationSeconds, type TimeWindow } from "@/lib/timeWindows";

/** At most this many points per series, so a 7-day chart costs what a 1-hour chart costs. */
export const MAX_POINTS = 180;
const NICE_STEPS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
/**
 * rate() needs two samples inside its window. Prometheus is commonly scraped every 15–30 s, so a
 * minute is the narrowest window that works everywhere; wider steps widen it so no sample is skipped.
 */
export const MIN_RATE_WINDOW_SECONDS = 60;

export interface QueryRange {
  start: number;
  end: number;
  stepSeconds: number;
  rateWindowSeconds: number;
}

export function stepForWindow(windowSeconds: number): number {
  const wanted = windowSeconds / MAX_POINTS;
  return NICE_STEPS.find((step) => step >= wanted) ?? NICE_STEPS[NICE_STEPS.length - 1]!;
}

export function rangeForWindow(window: TimeWindow, endSeconds: number): QueryRange {
  const seconds = durationSeconds(window) ?? 300;
  const stepSeconds = stepForWindow(seconds);
  // Align to the step so refreshes ask for the same timestamps and shared answers can be reused.
  const end = Math.floor(endSeconds / stepSeconds) * stepSeconds;
  return { start: end - seconds, end, stepSeconds, rateWindowSeconds: Math.max(MIN_RATE_WINDOW_SECONDS, stepSeconds * 2) };
}

/** Every timestamp a chart has, so missing samples become gaps (null) rather than vanishing. */
export function timeline(range: Pick<QueryRange, "start" | "end" | "stepSeconds">): number[] {
  const points: number[] = [];
  for (let t = range.start; t <= range.end; t += range.stepSeconds) points.push(t);
  return points;
}
