import { authorizedNamespaces } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { namespacesParam } from "@/server/http/params";
import { listIstioConfig } from "@/server/mesh/objects";

export const dynamic = "force-dynamic";

/** Read with the person's own token; no namespaces (= all) becomes those they may read, another team's is a 403. */
export const GET = apiRoute("/api/istio-config", async (request) => Response.json(await listIstioConfig(await authorizedNamespaces(namespacesParam(new URL(request.url))))));
