import { apiRoute } from "@/server/http/apiRoute";

export const dynamic = "force-dynamic";

/** Liveness: the process answers. It asks no dependency, so a Prometheus outage never restarts the pod. */
export const GET = apiRoute("/api/health", async () => Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } }));
