import { z } from "zod";
import { namespaceNameSchema, objectNameSchema } from "@/lib/kubeNames";
import { apiRoute } from "@/server/http/apiRoute";
import { readPodDetails } from "@/server/logs";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ namespace: namespaceNameSchema, pod: objectNameSchema });
type Context = { params: Promise<Record<string, string>> };

/** GET /api/pods/bookinfo/reviews-v1-7d9f-abcde: the pod's summary and its containers. */
export const GET = apiRoute("/api/pods/[namespace]/[pod]", async (_request, context: Context) => {
  const params = paramsSchema.parse(await context.params);
  return Response.json(await readPodDetails(params.namespace, params.pod));
});
