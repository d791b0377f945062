/**
 * What every change to the console must prove before anything else (server/auth/guard.ts asks it
 * of every non-GET request): the same-origin header (lib/api/sameOrigin.ts says why it suffices)
 * and a JSON body. `text/plain` and form encodings are what a cross-site form can send without a
 * preflight, so any other content type is refused with 415.
 */
import { SAME_ORIGIN_HEADER, SAME_ORIGIN_VALUE } from "@/lib/api/sameOrigin";
import { jsonError } from "./errors";

export function refuseUnlessSameOrigin(request: Request): Response | undefined {
  if (request.headers.get(SAME_ORIGIN_HEADER) !== SAME_ORIGIN_VALUE) {
    return jsonError(403, { message: `Changes are only accepted from the console's own pages: the request lacks the ${SAME_ORIGIN_HEADER}: ${SAME_ORIGIN_VALUE} header`, reason: "same-origin" });
  }
  const hasBody = request.method !== "DELETE" && request.method !== "GET";
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (hasBody && contentType !== "application/json") {
    return jsonError(415, { message: `Send the change as application/json (got ${contentType || "no content type"})`, reason: "content-type" });
  }
  return undefined;
}
