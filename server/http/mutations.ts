/**
 * What every route that changes the cluster requires before it does anything: the same-origin
 * proof and a JSON body (server/http/sameOrigin.ts), and a body read within the request limit and
 * parsed with the route's schema. The console's own write refusals (view-only, unreadable YAML,
 * schema) become answers in server/http/errors.ts like every other failure.
 */
import type { z } from "zod";
import { apiRoute } from "./apiRoute";
import { BadRequestError } from "./errors";
import { readBodyText } from "./requestBody";
import { refuseUnlessSameOrigin } from "./sameOrigin";

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

/** apiRoute plus the same-origin and content-type checks (the guard asks them too; a route that changes the cluster never relies on that alone). */
export function mutationRoute<Context>(route: string, handler: (request: Request, context: Context) => Promise<Response>) {
  return apiRoute<Context>(route, async (request, context) => refuseUnlessSameOrigin(request) ?? handler(request, context));
}
