/**
 * Request rate, error rate and p95 latency of one graph node over the time window, for the
 * graph's side panel charts.
 */
import { z } from "zod";
import { nodeKindSchema } from "./model";

/** [unix seconds, value]; null where Prometheus had no sample (e.g. no request finished). */
export const pointSchema = z.tuple([z.number(), z.number().nullable()]);
export type Point = z.infer<typeof pointSchema>;

export const nodeMetricsSchema = z.object({
  kind: nodeKindSchema,
  namespace: z.string(),
  name: z.string(),
  version: z.string().nullable(),
  /** Whose reports the figures are: requests the node received, or (gateways, external hosts) sent or was sent. */
  direction: z.enum(["inbound", "outbound"]),
  stepSeconds: z.number(),
  requestsPerSecond: z.array(pointSchema),
  errorsPerSecond: z.array(pointSchema),
  p95Milliseconds: z.array(pointSchema),
});
export type NodeMetrics = z.infer<typeof nodeMetricsSchema>;
