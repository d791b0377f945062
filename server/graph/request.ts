/**
 * The graph API's query string, validated in one place. Names go through the namespace rules in
 * server/http/params.ts; everything else through this schema, so a bad value is a 400 that names
 * the parameter.
 */
import { z } from "zod";
import { durationSeconds } from "@/lib/timeWindows";
import { GRAPH_APPENDERS, graphAppenderSchema, graphTypeSchema, type GraphAppender, type GraphType } from "@/lib/graph/model";
import { BadRequestError } from "@/server/http/errors";
import { namespacesParam } from "@/server/http/params";

/** A rate window needs at least two scrapes in it; a week is as far back as the graph aggregates. */
export const MIN_RATE_WINDOW_SECONDS = 10;
export const MAX_RATE_WINDOW_SECONDS = 7 * 86_400;

export interface GraphRequest {
  namespaces: string[];
  graphType: GraphType;
  rateWindowSeconds: number;
  /** Unix seconds the graph is evaluated at; undefined means now. */
  queryTime?: number;
  appenders: ReadonlySet<GraphAppender>;
  /** Response-time quantiles to compute when the responseTime appender is on; p95 unless asked. */
  latencyQuantiles: readonly LatencyQuantile[];
  idleNodes: boolean;
}

export const LATENCY_QUANTILE_NAMES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;
export type LatencyQuantile = (typeof LATENCY_QUANTILE_NAMES)[keyof typeof LATENCY_QUANTILE_NAMES];

const booleanParam = z.enum(["true", "false"]).transform((value) => value === "true");

const graphParamsSchema = z.object({
  graphType: graphTypeSchema.default("versionedApp"),
  duration: z
    .string()
    .default("60s")
    .transform((value, context) => {
      const seconds = durationSeconds(value);
      if (seconds === null || seconds < MIN_RATE_WINDOW_SECONDS || seconds > MAX_RATE_WINDOW_SECONDS) {
        context.addIssue({ code: "custom", message: `expected a duration such as 60s, 5m or 1h, between ${MIN_RATE_WINDOW_SECONDS}s and 7d` });
        return z.NEVER;
      }
      return seconds;
    }),
  queryTime: z
    .string()
    .regex(/^\d{1,12}$/, "expected unix seconds")
    .transform(Number)
    .optional(),
  appenders: z
    .string()
    .default(GRAPH_APPENDERS.join(","))
    .transform((value) => value.split(",").map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(graphAppenderSchema)),
  // Each quantile costs a pass over every bucket series; the edge labels need only p95.
  quantiles: z
    .string()
    .default("p95")
    .transform((value) => [...new Set(value.split(",").map((part) => part.trim()).filter(Boolean))])
    .pipe(z.array(z.enum(["p50", "p95", "p99"])).min(1, "expected one or more of p50, p95, p99")),
  idleNodes: booleanParam.default(false),
});

export function parseGraphRequest(url: URL, nowSeconds: number): GraphRequest {
  const namespaces = namespacesParam(url);
  if (namespaces.length === 0) throw new BadRequestError("namespaces: pick at least one namespace for the graph");
  const raw: Record<string, string> = {};
  for (const key of ["graphType", "duration", "queryTime", "appenders", "quantiles", "idleNodes"]) {
    const value = url.searchParams.get(key);
    if (value !== null) raw[key] = value;
  }
  const params = graphParamsSchema.parse(raw);
  if (params.queryTime !== undefined && params.queryTime > nowSeconds) {
    throw new BadRequestError(`queryTime: ${params.queryTime} is in the future (now is ${nowSeconds}); the graph can only look back`);
  }
  return {
    namespaces,
    graphType: params.graphType,
    rateWindowSeconds: params.duration,
    queryTime: params.queryTime,
    appenders: new Set(params.appenders),
    latencyQuantiles: params.quantiles.map((name) => LATENCY_QUANTILE_NAMES[name]),
    idleNodes: params.idleNodes,
  };
}
