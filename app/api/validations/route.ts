import { authorizedNamespaces } from "@/server/auth/namespaceAccess";
import { apiRoute, jsonError } from "@/server/http/apiRoute";
import { namespacesParam } from "@/server/http/params";
import { liveValidation, ValidationNotReadyError } from "@/server/validation/live";

export const dynamic = "force-dynamic";

/**
 * Findings of the selected namespaces (all when none), from the live index. Until the watch caches
 * have their first lists the request waits up to 5 s, then answers 503 with Retry-After. With token
 * sign-in, only namespaces the person may read (server/auth/namespaceAccess.ts).
 */
export const GET = apiRoute("/api/validations", async (request) => {
  const namespaces = await authorizedNamespaces(namespacesParam(new URL(request.url)));
  try {
    return Response.json(await liveValidation().report(namespaces), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (!(error instanceof ValidationNotReadyError)) throw error;
    const response = jsonError(503, { message: error.message, upstream: "kubernetes", reason: "not-ready" });
    response.headers.set("retry-after", "5");
    return response;
  }
});
