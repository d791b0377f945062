/**
 * Turns Prometheus matrices into chart series on a fixed timeline.
 */
import type { QueryRange } from "@/lib/signals/range";
import { timeline } from "@/lib/signals/range";
import type { SignalSeries } from "@/lib/signals/types";
import type { MatrixSeries } from "@/server/prometheus/responses";

export function alignSeries(matrix: MatrixSeries[], range: QueryRange, nameOf: (labels: Record<string, string>) => string, versionLabel: string | null): SignalSeries[] {
  const times = timeline(range);
  return matrix
    .map((series) => {
      const byTime = new Map<number, number>();
      for (const [t, raw] of series.values) {
        const value = Number(raw);
        // NaN comes from 0/0 (no traffic in the step) and ±Inf from quantiles without samples: both are gaps.
        if (Number.isFinite(value)) byTime.set(Math.round(t), value);
      }
      return {
        name: nameOf(series.metric),
        version: versionLabel ? (series.metric[versionLabel] ?? "unknown") : null,
        points: times.map((t): [number, number | null] => [t, byTime.get(t) ?? null]),
      };
    })
    .sort((a, b) => (a.version ?? "").localeCompare(b.version ?? "") || a.name.localeCompare(b.name));
}
