import { apiRoute } from "@/server/http/apiRoute";
import { listNamespaces } from "@/server/mesh/namespaces";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/namespaces", async () => Response.json({ namespaces: await listNamespaces() }));
