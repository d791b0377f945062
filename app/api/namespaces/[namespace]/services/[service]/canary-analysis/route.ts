import { z } from "zod";
import { namespaceNameSchema } from "@/lib/kubeNames";
import { personPrometheus } from "@/server/auth/namespaceAccess";
import { prometheus } from "@/server/prometheus";
import { canaryAnalysis } from "@/server/routing";
import { serviceReadRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Rate windows shorter than a few scrape intervals give no data; an hour is plenty for a canary. */
const querySchema = z.object({
  window: z.coerce.number().int().min(10).max(3600).default(60),
  /** The version Services a Gateway API route sends to (comma separated), whose requests count as the service's. */
  backends: z
    .string()
    .optional()
    .transform((value) => (value ? value.split(",") : []))
    .pipe(z.array(namespaceNameSchema).max(20)),
  /** The service is behind an ambient waypoint: its reports alone count. */
  waypoint: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
});

/** `?window=<seconds>[&backends=catalog-v1,catalog-v2][&waypoint=true]`: request rate, error rate, p95/p99 and share of requests per version. */
export const GET = serviceReadRoute("canary-analysis", async (request, ref) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return canaryAnalysis(personPrometheus(prometheus()), ref, query.window, undefined, query.backends, { behindWaypoint: query.waypoint });
});
