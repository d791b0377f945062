import { apiRoute } from "@/server/http/apiRoute";
import { namespacesParam } from "@/server/http/params";
import { listApps } from "@/server/mesh/objects";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/apps", async (request) => Response.json({ apps: await listApps(namespacesParam(new URL(request.url))) }));
