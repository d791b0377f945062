import { z } from "zod";
import { personPrometheus } from "@/server/auth/namespaceAccess";
import { prometheus } from "@/server/prometheus";
import { canaryAnalysis } from "@/server/routing";
import { serviceReadRoute } from "@/server/routing/http";

export const dynamic = "force-dynamic";

/** Rate windows shorter than a few scrape intervals give no data; an hour is plenty for a canary. */
const querySchema = z.object({ window: z.coerce.number().int().min(10).max(3600).default(60) });

/** `?window=<seconds>`: request rate, error rate, p95/p99 and share of requests per version. */
export const GET = serviceReadRoute("canary-analysis", async (request, ref) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return canaryAnalysis(personPrometheus(prometheus()), ref, query.window);
});
