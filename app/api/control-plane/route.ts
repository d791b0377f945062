import { z } from "zod";
import { TIME_WINDOWS } from "@/lib/timeWindows";
import { personPrometheus } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { prometheus } from "@/server/prometheus";
import { fetchControlPlaneHealth } from "@/server/signals/controlPlane";

export const dynamic = "force-dynamic";

const querySchema = z.object({ window: z.enum(TIME_WINDOWS).default("5m") });

export const GET = apiRoute("/api/control-plane", async (request) => {
  const { window } = querySchema.parse({ window: new URL(request.url).searchParams.get("window") ?? undefined });
  // istiod's metrics are pinned to its own, the root namespace (server/auth/namespaceAccess.ts).
  return Response.json(await fetchControlPlaneHealth(personPrometheus(prometheus()), window));
});
