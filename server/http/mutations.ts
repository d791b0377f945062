/**
 * What every route that changes the cluster requires before it does anything.
 *
 * Same-origin proof: the request must carry `X-Mesh-Console: 1`. A page on another site cannot add
 * a custom header to a cross-site request without a CORS preflight, which the console never
 * grants, so a forged form post or image tag cannot make the console write.
 * JSON only: a body is accepted only as `application/json` (415 otherwise); `text/plain` and form
 * encodings are what a cross-site form can send without a preflight.
 */
import type { z } from "zod";
import { ConfigWriteError } from "@/server/kube/writes";
import { apiRoute, BadRequestError, jsonError } from "./apiRoute";
import { readBodyText } from "./requestBody";

export const SAME_ORIGIN_HEADER = "x-mesh-console";

export function refuseUnlessSameOrigin(request: Request): Response | undefined {
  if (request.headers.get(SAME_ORIGIN_HEADER) !== "1") {
    return jsonError(403, { message: `Changes are only accepted from the console's own pages: the request lacks the ${SAME_ORIGIN_HEADER}: 1 header`, reason: "same-origin" });
  }
  const hasBody = request.method !== "DELETE" && request.method !== "GET";
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (hasBody && contentType !== "application/json") {
    return jsonError(415, { message: `Send the change as application/json (got ${contentType || "no content type"})`, reason: "content-type" });
  }
  return undefined;
}

/** Reads a JSON body, never more of it than MAX_REQUEST_BYTES (413 past it), and parses it with the route's schema. */
export async function jsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const text = await readBodyText(request);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestError("The request body is not valid JSON");
  }
  return schema.parse(value);
}

/** apiRoute plus the same-origin and content-type checks, with the console's own refusals mapped. */
export function mutationRoute<Context>(route: string, handler: (request: Request, context: Context) => Promise<Response>) {
  return apiRoute<Context>(route, async (request, context) => {
    const refused = refuseUnlessSameOrigin(request);
    if (refused) return refused;
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof ConfigWriteError) return jsonError(error.status, { message: error.message, reason: error.reason, fields: error.fields });
      throw error;
    }
  });
}
