/**
 * The golden-signal charts the console draws, as the API sends them: every series has a point for
 * every step of the range, null where Prometheus had no sample (drawn as a gap, never as zero).
 */
import { z } from "zod";

export const pointSchema = z.tuple([z.number(), z.number().nullable()]);

export const signalSeriesSchema = z.object({
  /** What the series is within its chart: "2xx", "p95", "errors", … */
  name: z.string(),
  /** The version (canonical revision) it belongs to, in by-version views. */
  version: z.string().nullable(),
  points: z.array(pointSchema),
});

export const CHARTS = ["requestVolume", "errorShare", "latency", "requestSize", "responseSize", "tcpSent", "tcpReceived"] as const;
export type ChartName = (typeof CHARTS)[number];

export const signalsResponseSchema = z.object({
  target: z.object({ kind: z.enum(["service", "workload", "app"]), namespace: z.string(), name: z.string() }),
  direction: z.enum(["inbound", "outbound"]),
  byVersion: z.boolean(),
  range: z.object({ start: z.number(), end: z.number(), stepSeconds: z.number(), rateWindowSeconds: z.number() }),
  charts: z.record(z.enum(CHARTS), z.array(signalSeriesSchema)),
});

export type SignalSeries = z.infer<typeof signalSeriesSchema>;
export type SignalsResponse = z.infer<typeof signalsResponseSchema>;

export const CHART_INFO: Record<ChartName, { title: string; unit: string }> = {
  requestVolume: { title: "Request volume", unit: "req/s" },
  errorShare: { title: "Error rate (failed requests)", unit: "%" },
  latency: { title: "Latency", unit: "ms" },
  requestSize: { title: "Request size (mean)", unit: "bytes" },
  responseSize: { title: "Response size (mean)", unit: "bytes" },
  tcpSent: { title: "TCP sent", unit: "bytes/s" },
  tcpReceived: { title: "TCP received", unit: "bytes/s" },
};

/**
 * Inbound figures of one service, workload or app over a window. Rates are per second;
 * `errorRate` is a share (0..1) of the requests that failed, as the graph and the canary verdict
 * count it (server/telemetry/failedRequests.ts); `errorsPerSecond` the same failures per second.
 */
export const trafficSummarySchema = z.object({
  namespace: z.string(),
  name: z.string(),
  requestRate: z.number(),
  errorsPerSecond: z.number(),
  errorRate: z.number().nullable(),
  /** Bytes per second both ways over TCP connections into it: a TCP-only workload has traffic too. */
  tcpBytesPerSecond: z.number(),
  p95Ms: z.number().nullable(),
  health: z.enum(["healthy", "degraded", "failing", "no-traffic"]),
  /** Health annotations that were ignored for this object, and why. */
  healthNotes: z.array(z.string()).optional(),
});
export const trafficSummaryListSchema = z.object({
  kind: z.enum(["service", "workload", "app"]),
  items: z.array(trafficSummarySchema),
  /** The console's health rules (lib/health.ts format) before any annotation, for explaining health beside the list. */
  healthRules: z.string().optional(),
});
export type TrafficSummaryItem = z.infer<typeof trafficSummarySchema>;
export type TrafficSummaryList = z.infer<typeof trafficSummaryListSchema>;

/**
 * A caller or callee of an object with its figures: `errorRate` a share (0..1), `errorsPerSecond`
 * per second; `deniedPerSecond` the requests answered 403 without a response flag, as an
 * AuthorizationPolicy denies them (server/telemetry/policyDenials.ts; an app's own 403 looks the same).
 */
export const peerSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  /** For callees: the workload behind the service that answered, when known. */
  workload: z.string().nullable(),
  requestRate: z.number(),
  errorsPerSecond: z.number(),
  errorRate: z.number(),
  deniedPerSecond: z.number(),
});
export const peersSchema = z.object({ callers: z.array(peerSchema), callees: z.array(peerSchema) });
export type Peer = z.infer<typeof peerSchema>;
export type Peers = z.infer<typeof peersSchema>;
