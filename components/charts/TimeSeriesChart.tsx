"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatAxisNumber, formatUtcTime } from "@/lib/format";

export interface ChartSeries {
  key: string;
  label: string;
  points: [number, number | null][];
}

const PALETTE = ["#1f6feb", "#1a7f37", "#cf222e", "#9a6700", "#8250df", "#0a7ea4", "#bf3989", "#57606a"];

interface TimeSeriesChartProps {
  title: string;
  unit: string;
  series: ChartSeries[];
  format: (value: number) => string;
  emptyText: string;
  /** Span of the x axis in seconds, to choose how times are written. */
  spanSeconds: number;
}

/**
 * One chart of a golden signal. Missing samples stay gaps (connectNulls off): a chart that draws
 * zero where Prometheus had nothing would claim an outage, or health, that nobody measured.
 */
export function TimeSeriesChart({ title, unit, series, format, emptyText, spanSeconds }: TimeSeriesChartProps) {
  const hasData = series.some((line) => line.points.some(([, value]) => value !== null));
  const rows = new Map<number, Record<string, number | null>>();
  for (const line of series) {
    for (const [t, value] of line.points) {
      const row = rows.get(t) ?? { t };
      row[line.key] = value;
      rows.set(t, row);
    }
  }
  const data = [...rows.values()].sort((a, b) => (a.t as number) - (b.t as number));
  const withDate = spanSeconds > 86_400;

  return (
    <figure className="chart" aria-label={title} data-testid={`chart-${title}`} data-has-data={hasData ? "true" : "false"}>
      <figcaption>
        {title} <span className="muted">({unit}, times in UTC)</span>
      </figcaption>
      {hasData ? (
        <ResponsiveContainer width="100%" height={180}>
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e4e8ee" />
            <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={(t: number) => formatUtcTime(t, withDate)} minTickGap={40} fontSize={11} />
            <YAxis width={48} fontSize={11} tickFormatter={formatAxisNumber} />
            <Tooltip labelFormatter={(t) => formatUtcTime(Number(t), true)} formatter={(value) => (typeof value === "number" ? format(value) : "no data")} isAnimationActive={false} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.map((line, index) => (
              <Line key={line.key} dataKey={line.key} name={line.label} stroke={PALETTE[index % PALETTE.length]} dot={false} connectNulls={false} isAnimationActive={false} strokeWidth={1.5} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      ) : (
        <p className="chart-empty">{emptyText}</p>
      )}
    </figure>
  );
}
