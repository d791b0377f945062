import { authorizedNamespaces } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { namespacesParam } from "@/server/http/params";
import { readProxyStatus } from "@/server/proxyStatus";

export const dynamic = "force-dynamic";

/**
 * istiod is read with the person's own token (Kubernetes RBAC on istio-system's pods/proxy decides
 * whether they may at all); the answer is then limited to the namespaces they may read.
 */
export const GET = apiRoute("/api/proxy-status", async (request) => Response.json(await readProxyStatus(await authorizedNamespaces(namespacesParam(new URL(request.url))))));
