/**
 * The one wrapper every API route handler goes through: it times the request for /metrics and
 * turns known failures into JSON errors with the status a client can act on (server/http/errors.ts).
 * Handlers stay thin: parse input, call one server function, return its result.
 */
import { guardApiRequest } from "@/server/auth/guard";
import { consoleMetrics } from "@/server/metrics";
import { errorResponse } from "./errors";

export function apiRoute<Context>(route: string, handler: (request: Request, context: Context) => Promise<Response>) {
  return async (request: Request, context: Context): Promise<Response> => {
    const metrics = consoleMetrics();
    const stop = metrics.httpRequestDuration.startTimer({ route, method: request.method });
    let response: Response;
    try {
      // Sign-in, same-origin proof, view-only and the change budget: see server/auth/guard.ts.
      response = await guardApiRequest(route, request, () => handler(request, context));
    } catch (error) {
      response = errorResponse(error);
    }
    stop({ status: String(response.status) });
    if (response.status >= 400) metrics.httpErrors.inc({ route, status: String(response.status) });
    return response;
  };
}
