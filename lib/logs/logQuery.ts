/**
 * What the browser may ask of `GET /api/pods/{namespace}/{pod}/log`, and the bounds the server and
 * the page both keep: one schema for the query, parsed on the server at the boundary and built by
 * the page. The bounds keep one answer small (a log can be gigabytes) and the page's memory flat.
 * Kubernetes' own parameters: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod
 */
import { z } from "zod";
import { isDns1123Label } from "@/lib/kubeNames";

/** The most lines one answer carries (`tailLines`). */
export const MAX_TAIL_LINES = 2_000;
export const DEFAULT_TAIL_LINES = 500;
/** The most bytes one answer carries (`limitBytes`): Kubernetes stops reading there, so a longer answer loses its newest lines (following catches up). */
export const MAX_LOG_BYTES = 2 * 1024 * 1024;
/** The longest `sinceSeconds` accepted: the longest window the pickers offer. */
export const MAX_SINCE_SECONDS = 7 * 24 * 3600;
/** The most lines the page keeps while following; older ones are dropped, and the page says so. */
export const MAX_LINES_KEPT = 5_000;
/** How often the page asks for new lines while following. */
export const FOLLOW_INTERVAL_MS = 2_000;

/** Container names are DNS-1123 labels (https://kubernetes.io/docs/concepts/containers/). */
export const containerNameSchema = z.string().refine(isDns1123Label, { message: "must be a container name (a DNS-1123 label)" });

const integerParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const podLogQuerySchema = z.strictObject({
  container: containerNameSchema,
  tailLines: integerParam(1, MAX_TAIL_LINES).default(DEFAULT_TAIL_LINES),
  sinceSeconds: integerParam(1, MAX_SINCE_SECONDS).optional(),
});
export type PodLogQuery = z.infer<typeof podLogQuerySchema>;

/** The query string for `podLogQuerySchema`. */
export function podLogSearch(query: { container: string; tailLines: number; sinceSeconds?: number }): string {
  const params = new URLSearchParams({ container: query.container, tailLines: String(query.tailLines) });
  if (query.sinceSeconds !== undefined) params.set("sinceSeconds", String(query.sinceSeconds));
  return params.toString();
}
