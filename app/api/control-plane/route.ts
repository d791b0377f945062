import { z } from "zod";
import { TIME_WINDOWS } from "@/lib/timeWindows";
import { assertNamespaceAccess, CONTROL_PLANE_NAMESPACE } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { prometheus } from "@/server/prometheus";
import { fetchControlPlaneHealth } from "@/server/signals/controlPlane";

export const dynamic = "force-dynamic";

const querySchema = z.object({ window: z.enum(TIME_WINDOWS).default("5m") });

export const GET = apiRoute("/api/control-plane", async (request) => {
  const { window } = querySchema.parse({ window: new URL(request.url).searchParams.get("window") ?? undefined });
  // istiod serves every namespace: its figures need access to its own, the root namespace.
  await assertNamespaceAccess(CONTROL_PLANE_NAMESPACE);
  return Response.json(await fetchControlPlaneHealth(prometheus(), window));
});
