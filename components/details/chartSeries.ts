import type { ChartName, SignalSeries, SignalsResponse } from "@/lib/signals/types";
import type { ChartSeries } from "@/components/charts/TimeSeriesChart";

/** Adds up several series point by point; a point stays a gap only where every series is one. */
function sumSeries(series: SignalSeries[]): [number, number | null][] {
  const first = series[0];
  if (!first) return [];
  return first.points.map(([t], index) => {
    let total: number | null = null;
    for (const line of series) {
      const value = line.points[index]?.[1];
      if (value !== null && value !== undefined) total = (total ?? 0) + value;
    }
    return [t, total];
  });
}

/**
 * The lines a chart draws. In the by-version view request volume is one line per version (all
 * response classes together) and latency one p95 line per version, so versions compare at a glance.
 */
export function chartLines(signals: SignalsResponse, chart: ChartName): ChartSeries[] {
  const series = signals.charts[chart] ?? [];
  if (!signals.byVersion) return series.map((line) => ({ key: line.name, label: line.name, points: line.points }));

  const versions = [...new Set(series.map((line) => line.version ?? "unknown"))].sort();
  if (chart === "requestVolume") {
    return versions.map((version) => ({ key: version, label: version, points: sumSeries(series.filter((line) => (line.version ?? "unknown") === version)) }));
  }
  const wanted = chart === "latency" ? series.filter((line) => line.name === "p95") : series;
  return wanted.map((line) => ({ key: `${line.version}-${line.name}`, label: chart === "latency" ? `${line.version} p95` : (line.version ?? line.name), points: line.points }));
}
