import { z } from "zod";
import { namespaceNameSchema, objectNameSchema } from "@/lib/kubeNames";
import { TIME_WINDOWS } from "@/lib/timeWindows";
import { personPrometheus } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { prometheus } from "@/server/prometheus";
import { fetchPeers } from "@/server/signals/peers";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  kind: z.enum(["service", "workload", "app"]),
  namespace: namespaceNameSchema,
  name: objectNameSchema,
  window: z.enum(TIME_WINDOWS).default("5m"),
});

/** GET /api/peers?kind=workload&namespace=bookinfo&name=reviews-v2&window=1h: callers and callees with rates. */
export const GET = apiRoute("/api/peers", async (request) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  // Callers and callees may be in other namespaces: the queries are pinned to this one's end of the traffic.
  return Response.json(await fetchPeers(personPrometheus(prometheus()), { kind: query.kind, namespace: query.namespace, name: query.name }, query.window));
});
