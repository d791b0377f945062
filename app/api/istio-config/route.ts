import { apiRoute } from "@/server/http/apiRoute";
import { namespacesParam } from "@/server/http/params";
import { listIstioConfig } from "@/server/mesh/objects";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/istio-config", async (request) => Response.json({ objects: await listIstioConfig(namespacesParam(new URL(request.url))) }));
