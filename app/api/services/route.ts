import { apiRoute } from "@/server/http/apiRoute";
import { namespacesParam } from "@/server/http/params";
import { listServices } from "@/server/mesh/objects";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/services", async (request) => Response.json({ services: await listServices(namespacesParam(new URL(request.url))) }));
