import { apiRoute } from "@/server/http/apiRoute";
import { namespacesParam } from "@/server/http/params";
import { readAmbientHealth } from "@/server/mesh/ambient";

export const dynamic = "force-dynamic";

/** `?namespaces=a,b`: ztunnel's pods and the waypoints of those namespaces (all readable ones when none). */
export const GET = apiRoute("/api/ambient", async (request) => Response.json(await readAmbientHealth(namespacesParam(new URL(request.url)))));
