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

const isLabels = (value: unknown): value is Record<string, string> => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  for (const label in value) {
    if (typeof (value as Record<string, unknown>)[label] !== "string") return false;
  }
  return true;
};
const isSampleValue = (value: unknown): value is [number, string] => Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && typeof value[1] === "string";
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The `data` of a query answer checked against queryDataSchema's shapes, or null when it does not
 * fit them. Vectors and matrices, thousands of samples for a large graph, are checked in place
 * rather than by zod, which builds a copy of every sample and label set it validates. The schemas
 * stay the definition; responses.test.ts holds the two to the same answers.
 */
export function parseQueryData(data: unknown): QueryData | null {
  if (!isRecord(data)) return null;
  const { resultType, result } = data;
  if (resultType === "vector") {
    if (!Array.isArray(result)) return null;
    for (const sample of result) {
      if (!isRecord(sample) || !isLabels(sample.metric) || !isSampleValue(sample.value)) return null;
    }
    return { resultType, result: result as VectorSample[] };
  }
  if (resultType === "matrix") {
    if (!Array.isArray(result)) return null;
    for (const series of result) {
      if (!isRecord(series) || !isLabels(series.metric) || !Array.isArray(series.values) || !series.values.every(isSampleValue)) return null;
    }
    return { resultType, result: result as MatrixSeries[] };
  }
  const parsed = queryDataSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

export function sampleNumber([, value]: [number, string]): number {
  return Number(value);
}
