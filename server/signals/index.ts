/**
 * Golden signals for one service, workload or app over a window, as chart series.
 */
import { rangeForWindow } from "@/lib/signals/range";
import { CHARTS, type ChartName, type SignalSeries, type SignalsResponse } from "@/lib/signals/types";
import type { TimeWindow } from "@/lib/timeWindows";
import type { PrometheusClient } from "@/server/prometheus/client";
import { sharedMetricNames, versionLabel, type TelemetryMetricNames } from "@/server/telemetry";
import { alignSeries } from "./shape";
import { signalQueries, type Direction, type SignalTarget } from "./queries";

export type { SignalTarget, Direction } from "./queries";

export interface SignalRequest {
  target: SignalTarget;
  direction: Direction;
  byVersion: boolean;
  window: TimeWindow;
  /** Unix seconds; now when absent. */
  end?: number;
}

/** `metrics`: the metric names to read; detected on the shared client (recording rules) when not given. */
export async function fetchSignals(request: SignalRequest, client: PrometheusClient, metrics?: TelemetryMetricNames): Promise<SignalsResponse> {
  const range = rangeForWindow(request.window, request.end ?? Date.now() / 1000);
  const queries = signalQueries(request.target, { direction: request.direction, byVersion: request.byVersion, rateWindowSeconds: range.rateWindowSeconds }, metrics ?? (await sharedMetricNames()));
  const version = request.byVersion ? versionLabel(request.direction) : null;

  const answers = await Promise.all(queries.map((query) => client.range(query.promql, range)));
  const charts = Object.fromEntries(CHARTS.map((chart) => [chart, [] as SignalSeries[]])) as Record<ChartName, SignalSeries[]>;
  queries.forEach((query, index) => {
    const nameOf = (labels: Record<string, string>) => {
      if (query.chart === "requestVolume") return labels.code_class === "0xx" ? "no response" : (labels.code_class ?? "other");
      if (query.chart === "latency") return `p${Math.round((query.quantile ?? 0) * 100)}`;
      if (query.chart === "errorShare") return "errors";
      return query.chart;
    };
    charts[query.chart].push(...alignSeries(answers[index] ?? [], range, nameOf, version));
  });
  // The API sends error share as a percentage, which is what people read.
  charts.errorShare = charts.errorShare.map((series) => ({ ...series, points: series.points.map(([t, value]) => [t, value === null ? null : value * 100]) }));

  return { target: request.target, direction: request.direction, byVersion: request.byVersion, range, charts };
}
