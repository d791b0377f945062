import { z } from "zod";
import { TIME_WINDOWS } from "@/lib/timeWindows";
import { authorizedNamespaces, personPrometheus } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { namespacesParam } from "@/server/http/params";
import { prometheus } from "@/server/prometheus";
import { fetchNamespaceTraffic } from "@/server/signals/namespaceTraffic";

export const dynamic = "force-dynamic";

const querySchema = z.object({ window: z.enum(TIME_WINDOWS).default("5m") });

export const GET = apiRoute("/api/namespace-traffic", async (request) => {
  const url = new URL(request.url);
  const { window } = querySchema.parse({ window: url.searchParams.get("window") ?? undefined });
  // No namespaces (= all) becomes the person's own, so the query is pinned to them.
  return Response.json(await fetchNamespaceTraffic(personPrometheus(prometheus()), await authorizedNamespaces(namespacesParam(url)), window));
});
