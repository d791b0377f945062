import type { ConsoleSettings } from "@/lib/mesh";
import { getConfig } from "@/server/config";
import { apiRoute } from "@/server/http/apiRoute";

export const dynamic = "force-dynamic";

/** The defaults and modes the browser needs; never credentials. */
export const GET = apiRoute("/api/settings", async () => {
  const config = getConfig();
  const settings: ConsoleSettings = {
    defaults: config.defaults,
    viewOnly: config.viewOnly,
    authMode: config.auth.mode,
    prometheusUrl: config.prometheus.url,
    links: { traces: [...config.links.traces], dashboards: [...config.links.dashboards] },
  };
  return Response.json(settings);
});
