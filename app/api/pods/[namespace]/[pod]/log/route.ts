import { z } from "zod";
import { namespaceNameSchema, objectNameSchema } from "@/lib/kubeNames";
import { podLogQuerySchema } from "@/lib/logs/logQuery";
import { apiRoute } from "@/server/http/apiRoute";
import { readPodLog } from "@/server/logs";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ namespace: namespaceNameSchema, pod: objectNameSchema });
type Context = { params: Promise<Record<string, string>> };

/**
 * GET /api/pods/bookinfo/reviews-v1-7d9f-abcde/log?container=istio-proxy&tailLines=500&sinceSeconds=300
 * The last lines of one container's log, bounded (lib/logs/logQuery.ts); following is the page
 * asking again (server/logs/index.ts says why).
 */
export const GET = apiRoute("/api/pods/[namespace]/[pod]/log", async (request, context: Context) => {
  const params = paramsSchema.parse(await context.params);
  const query = podLogQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const log = await readPodLog(params.namespace, params.pod, query);
  return Response.json(log, { headers: { "cache-control": "no-store" } });
});
