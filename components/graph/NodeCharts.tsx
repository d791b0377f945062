"use client";

import { Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { ErrorBanner, Loading } from "@/components/common/states";
import type { Point } from "@/lib/graph/nodeMetrics";
import type { GraphNode } from "@/lib/graph/model";
import styles from "./graph.module.css";
import { useNodeMetrics } from "./useGraph";

const time = (seconds: number) => new Date(seconds * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

function SmallChart({ title, points, unit, colour }: { title: string; points: Point[]; unit: string; colour: string }) {
  const data = points.map(([t, value]) => ({ t, value }));
  return (
    <figure style={{ margin: 0 }} aria-label={title}>
      <figcaption className={styles.chartTitle}>{title}</figcaption>
      <LineChart width={290} height={90} data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <XAxis dataKey="t" tickFormatter={time} tick={{ fontSize: 9 }} minTickGap={40} />
        <YAxis width={40} tick={{ fontSize: 9 }} />
        <Tooltip labelFormatter={(label) => time(Number(label))} formatter={(value) => [`${Number(value).toFixed(2)} ${unit}`, title]} />
        <Line type="monotone" dataKey="value" stroke={colour} dot={false} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </figure>
  );
}

export function NodeCharts({ node }: { node: GraphNode }) {
  const metrics = useNodeMetrics(node);
  if (node.kind === "unknown") return <p>Traffic from outside the mesh has no metrics of its own.</p>;
  if (metrics.isPending) return <Loading what="charts" />;
  if (metrics.isError && !metrics.data) return <ErrorBanner title="Charts could not be loaded" error={metrics.error} />;
  const data = metrics.data;
  if (!data) return null;
  const sent = data.direction === "outbound" ? " (sent)" : "";
  return (
    <div data-testid="node-charts">
      <SmallChart title={`Requests per second${sent}`} points={data.requestsPerSecond} unit="rps" colour="#0066cc" />
      <SmallChart title={`Failed requests per second${sent}`} points={data.errorsPerSecond} unit="rps" colour="#c9190b" />
      <SmallChart title="Response time p95" points={data.p95Milliseconds} unit="ms" colour="#5e40be" />
    </div>
  );
}
