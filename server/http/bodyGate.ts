/**
 * The body limit, held where the bytes arrive. Next.js copies a request's body into memory before
 * the proxy runs (so proxy and route can both read it) and waits for all of it first, so a route's
 * bounded reader alone would still let anyone, signed in or not, make the console take in a body of
 * any size. Here, before Next.js sees the request:
 *   - a Content-Length over the limit is answered 413 at once, before the body is looked at; what
 *     arrives of it meanwhile is dropped, and the connection is cut after a moment;
 *   - a body without a length (`Transfer-Encoding: chunked`) is cut off one byte past the limit:
 *     the stream ends there, what follows is dropped as it arrives, and the route, reading one byte
 *     too many, answers 413 (server/http/requestBody.ts). Nothing holds more than the limit plus one.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_REQUEST_BYTES, RequestTooLargeError } from "./requestBody";
import { API_CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from "./securityHeaders";

/**
 * How long a refused body is taken off the wire and dropped before the connection is cut. A server
 * that closes a connection with unread bytes in it makes the kernel reset it, and a client still
 * sending may then lose the 413 it was sent; draining for a moment lets it read the answer and stop
 * (the "lingering close" of HTTP servers). Nothing drained is kept.
 */
const LINGER_MS = 2_000;

function refuseUnread(request: IncomingMessage, response: ServerResponse, limit: number): void {
  const body = JSON.stringify({ error: { message: new RequestTooLargeError(limit).message, reason: "too-large" } });
  response.writeHead(413, { ...SECURITY_HEADERS, "content-security-policy": API_CONTENT_SECURITY_POLICY, "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
  request.resume();
  const cut = setTimeout(() => request.socket.destroy(), LINGER_MS);
  cut.unref();
  request.once("end", () => clearTimeout(cut));
  response.end(body);
}

type DestroyHook = (error: Error | null, callback: (error?: Error | null) => void) => void;

/**
 * Ends the request's body stream one byte past `limit`; later bytes are dropped as the parser hands
 * them over, so the connection stays readable and the answer reaches the client.
 */
function capBody(request: IncomingMessage, limit: number): void {
  const push = request.push.bind(request);
  let received = 0;
  let capped = false;
  // A stream destroys itself once it has ended, and an IncomingMessage destroyed before its message
  // is complete aborts the whole connection, taking the 413 with it. A capped body's end is ours, not
  // the client's: only a destroy for a real error (the client went away) still aborts.
  const destroy = (request as unknown as { _destroy: DestroyHook })._destroy.bind(request);
  (request as unknown as { _destroy: DestroyHook })._destroy = (error, callback) => (capped && !error ? callback(null) : destroy(error, callback));
  request.push = (chunk: Buffer | string | null, encoding?: BufferEncoding): boolean => {
    if (capped) return true;
    if (chunk === null) return push(null);
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk;
    received += bytes.length;
    if (received <= limit) return push(bytes);
    capped = true;
    push(bytes.subarray(0, bytes.length - (received - limit - 1)));
    return push(null);
  };
}

/** True when the gate answered the request itself (it must then go no further). */
export function gateRequestBody(request: IncomingMessage, response: ServerResponse, limit: number = MAX_REQUEST_BYTES): boolean {
  const announced = request.headers["content-length"];
  if (announced !== undefined && Number(announced) > limit) {
    refuseUnread(request, response, limit);
    return true;
  }
  if (announced === undefined && request.headers["transfer-encoding"] !== undefined) capBody(request, limit);
  return false;
}
