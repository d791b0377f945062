/**
 * The shapes of Prometheus HTTP API answers, as documented at
 * https://prometheus.io/docs/prometheus/latest/querying/api/#expression-query-result-formats
 * Thanos, Mimir and VictoriaMetrics answer in the same shapes.
 */
import { z } from "zod";

/** Sample values arrive as strings because they may be NaN or ±Inf. */
const sampleValue = z.tuple([z.number(), z.string()]);
const labels = z.record(z.string(), z.string());

export const vectorSampleSchema = z.object({ metric: labels, value: sampleValue });
export const matrixSeriesSchema = z.object({ metric: labels, values: z.array(sampleValue) });

export const queryDataSchema = z.discriminatedUnion("resultType", [
  z.object({ resultType: z.literal("vector"), result: z.array(vectorSampleSchema) }),
  z.object({ resultType: z.literal("matrix"), result: z.array(matrixSeriesSchema) }),
  z.object({ resultType: z.literal("scalar"), result: sampleValue }),
  z.object({ resultType: z.literal("string"), result: sampleValue }),
]);

export const apiEnvelopeSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("success"), data: z.unknown(), warnings: z.array(z.string()).optional() }),
  z.object({ status: z.literal("error"), errorType: z.string(), error: z.string() }),
]);

export type VectorSample = z.infer<typeof vectorSampleSchema>;
export type MatrixSeries = z.infer<typeof matrixSeriesSchema>;
export type QueryData = z.infer<typeof queryDataSchema>;

export function sampleNumber([, value]: [number, string]): number {
  return Number(value);
}
