import { z } from "zod";
import { formatHealthThresholds } from "@/lib/health";
import { TIME_WINDOWS } from "@/lib/timeWindows";
import type { TrafficSummaryItem } from "@/lib/signals/types";
import { getConfig } from "@/server/config";
import { authorizedNamespaces, personPrometheus } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { namespacesParam } from "@/server/http/params";
import { prometheus } from "@/server/prometheus";
import { trafficSummaries } from "@/server/signals/summary";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  kind: z.enum(["service", "workload", "app"]),
  window: z.enum(TIME_WINDOWS).default("5m"),
});

/** GET /api/traffic?kind=workload&namespaces=bookinfo&window=5m: inbound rate, errors, p95 and health per object. */
export const GET = apiRoute("/api/traffic", async (request) => {
  const url = new URL(request.url);
  const query = querySchema.parse({ kind: url.searchParams.get("kind") ?? undefined, window: url.searchParams.get("window") ?? undefined });
  // No namespaces (= all) becomes the person's own, so the queries are pinned to them.
  const summaries = await trafficSummaries(personPrometheus(prometheus()), query.kind, await authorizedNamespaces(namespacesParam(url)), query.window);
  const items: TrafficSummaryItem[] = [...summaries].map(([key, summary]) => {
    const [namespace = "", name = ""] = key.split("/");
    return { namespace, name, ...summary };
  });
  // The rules the list is judged by before annotations, as the graph sends them for its legend.
  return Response.json({ kind: query.kind, items, healthRules: formatHealthThresholds(getConfig().healthThresholds) });
});
