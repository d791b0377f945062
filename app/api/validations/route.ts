import { allowedNamespaces, intersectNamespaces } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { jsonError } from "@/server/http/errors";
import { namespacesParam } from "@/server/http/params";
import { liveValidation, ValidationNotReadyError } from "@/server/validation/live";
import { redactReport } from "@/server/validation/redaction";

export const dynamic = "force-dynamic";

/**
 * Findings of the selected namespaces (all when none), from the live index. Until the watch caches
 * have their first lists the request waits up to 5 s, then answers 503 with Retry-After. With token
 * sign-in, only namespaces the person may read (server/auth/namespaceAccess.ts), and within their
 * findings the names of objects elsewhere are withheld (server/validation/redaction.ts).
 */
export const GET = apiRoute("/api/validations", async (request) => {
  const allowed = await allowedNamespaces();
  const namespaces = intersectNamespaces(namespacesParam(new URL(request.url)), allowed);
  try {
    return Response.json(redactReport(await liveValidation().report(namespaces), allowed), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (!(error instanceof ValidationNotReadyError)) throw error;
    const response = jsonError(503, { message: error.message, upstream: "kubernetes", reason: "not-ready" });
    response.headers.set("retry-after", "5");
    return response;
  }
});
