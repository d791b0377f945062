"use client";

import { Line, LineChart, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import { formatRate, formatUtcTime } from "@/lib/format";

/** A small trend line; gaps stay gaps. */
export function Sparkline({ points, label }: { points: [number, number | null][]; label: string }) {
  if (!points.some(([, value]) => value !== null)) return <span className="muted sparkline-empty">no traffic in this window</span>;
  const data = points.map(([t, value]) => ({ t, value }));
  return (
    <div className="sparkline" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={36}>
        <LineChart data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
          <YAxis hide domain={[0, "auto"]} />
          <Tooltip labelFormatter={(t) => formatUtcTime(Number(t), true)} formatter={(value) => (typeof value === "number" ? formatRate(value) : "no data")} isAnimationActive={false} />
          <Line dataKey="value" name="Inbound" stroke="#1f6feb" dot={false} connectNulls={false} isAnimationActive={false} strokeWidth={1.5} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
