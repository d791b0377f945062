"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { TimeSeriesChart } from "@/components/charts/TimeSeriesChart";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";
import { fetchJson } from "@/lib/apiClient";
import { formatBytes, formatMilliseconds, formatPercent, formatRate } from "@/lib/format";
import { queryKeys } from "@/lib/queryKeys";
import { CHART_INFO, signalsResponseSchema, type ChartName } from "@/lib/signals/types";
import { chartLines } from "./chartSeries";
import { useDetailParams } from "./useDetailParams";

const FORMAT: Record<ChartName, (value: number) => string> = {
  requestVolume: formatRate,
  errorShare: formatPercent,
  latency: formatMilliseconds,
  requestSize: formatBytes,
  responseSize: formatBytes,
  tcpSent: (value) => `${formatBytes(value)}/s`,
  tcpReceived: (value) => `${formatBytes(value)}/s`,
};
const HTTP_CHARTS: ChartName[] = ["requestVolume", "errorShare", "latency", "requestSize", "responseSize"];
const TCP_CHARTS: ChartName[] = ["tcpSent", "tcpReceived"];

export function SignalPanel({ kind, namespace, name }: { kind: "service" | "workload" | "app"; namespace: string; name: string }) {
  const { state } = useViewState();
  const { direction, byVersion, update } = useDetailParams(kind !== "service");
  const signals = useQuery({
    queryKey: queryKeys.signals(kind, namespace, name, direction, state.window, byVersion),
    queryFn: () => fetchJson(`/api/signals?${new URLSearchParams({ kind, namespace, name, direction, window: state.window, byVersion: String(byVersion) })}`, signalsResponseSchema),
    refetchInterval: useRefreshInterval(),
  });

  const data = signals.data;
  const hasTcp = data ? TCP_CHARTS.some((chart) => (data.charts[chart] ?? []).length > 0) : false;
  const hasHttp = data ? HTTP_CHARTS.some((chart) => (data.charts[chart] ?? []).length > 0) : false;
  const charts = [...(hasHttp || !hasTcp ? HTTP_CHARTS : []), ...(hasTcp ? TCP_CHARTS : [])];
  const span = data ? data.range.end - data.range.start : 0;

  return (
    <section aria-label="Traffic metrics" className="signal-panel">
      <div className="panel-controls">
        {kind !== "service" ? (
          <div role="radiogroup" aria-label="Traffic direction" className="segmented">
            {(["inbound", "outbound"] as const).map((value) => (
              <label key={value}>
                <input type="radio" name="direction" checked={direction === value} onChange={() => update({ direction: value })} />
                {value === "inbound" ? "Inbound" : "Outbound"}
              </label>
            ))}
          </div>
        ) : null}
        <label className="check">
          <input type="checkbox" checked={byVersion} onChange={(event) => update({ byVersion: event.target.checked })} />
          Split by version
        </label>
        {data ? <span className="muted">Step {data.range.stepSeconds} s, rates over {data.range.rateWindowSeconds} s</span> : null}
      </div>
      {signals.isPending ? <Loading what="metrics" /> : null}
      {signals.isError && !data ? <ErrorBanner title="Metrics could not be read from Prometheus" error={signals.error} onRetry={() => signals.refetch()} /> : null}
      {signals.isError && data ? <StaleBanner error={signals.error} /> : null}
      {data ? (
        <div className="charts">
          {charts.map((chart) => (
            <TimeSeriesChart
              key={chart}
              title={byVersion && chart === "latency" ? `${CHART_INFO[chart].title} p95 by version` : CHART_INFO[chart].title}
              unit={CHART_INFO[chart].unit}
              series={chartLines(data, chart)}
              format={FORMAT[chart]}
              emptyText={`No ${direction} traffic in this window`}
              spanSeconds={span}
            />
          ))}
        </div>
      ) : null}
    </section>
  );
}
