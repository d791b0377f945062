import { apiRoute } from "@/server/http/apiRoute";
import { namespacesParam } from "@/server/http/params";
import { listWorkloads } from "@/server/mesh/objects";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/workloads", async (request) => Response.json({ workloads: await listWorkloads(namespacesParam(new URL(request.url))) }));
