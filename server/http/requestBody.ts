/**
 * The most a request may send the console, and the one way its routes read a body within it.
 *
 * One limit for every route: the largest body any route accepts is the YAML editor's, an Istio
 * object of at most MAX_YAML_BYTES (server/kube/writes.ts, 256 KiB) travelling JSON-escaped,
 * which can about double it. Sign-in's token and the wizards' forms are far smaller.
 *
 * The limit must hold however the body comes: with a Content-Length over it the body is refused
 * before a byte is read; without one (`Transfer-Encoding: chunked`) reading stops, and the stream is
 * cancelled, at the first chunk that passes it, so at most the limit plus one chunk is ever held.
 * Reading all of it first (`request.text()`) would let anyone, signed in or not, make the console
 * hold as much as they care to send.
 *
 * This module imports nothing: next.config.ts reads the limit to bound what Next.js buffers
 * before any of our code runs (see there).
 */

/** The largest request body the console accepts, in bytes (600 KiB). */
export const MAX_REQUEST_BYTES = 600 * 1024;

export const REQUEST_TOO_LARGE_REASON = "too-large";

export class RequestTooLargeError extends Error {
  readonly status = 413;
  readonly reason = REQUEST_TOO_LARGE_REASON;

  constructor(readonly limitBytes: number = MAX_REQUEST_BYTES) {
    super(`The request body is larger than ${limitBytes / 1024} KiB, the most the console accepts`);
    this.name = "RequestTooLargeError";
  }
}

/** The body did not arrive whole: the client went away or sent a broken chunked encoding. */
export class RequestBodyUnreadableError extends Error {
  readonly status = 400;

  constructor() {
    super("The request body could not be read to its end; send it again");
    this.name = "RequestBodyUnreadableError";
  }
}

/** True when the request announces (Content-Length) a body over `limit`: it can be refused unread. */
export function announcesTooLarge(request: Request, limit: number = MAX_REQUEST_BYTES): boolean {
  const announced = request.headers.get("content-length");
  if (announced === null) return false;
  const bytes = Number(announced);
  return Number.isFinite(bytes) && bytes > limit;
}

function joined(chunks: readonly Uint8Array[], bytes: number): Uint8Array {
  const all = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/**
 * The body as UTF-8 text, read only up to `limit` bytes: throws RequestTooLargeError (413) as soon
 * as the announced length or the bytes received pass it, whether or not the body has a length.
 */
export async function readBodyText(request: Request, limit: number = MAX_REQUEST_BYTES): Promise<string> {
  if (announcesTooLarge(request, limit)) throw new RequestTooLargeError(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      throw new RequestBodyUnreadableError();
    }
    if (next.done) break;
    received += next.value.byteLength;
    if (received > limit) {
      // Cancelling tells the server to stop pulling the rest off the connection; the 413 is still
      // written (checked against the built server by e2e/request-limits.spec.ts).
      reader.cancel().catch(() => undefined);
      throw new RequestTooLargeError(limit);
    }
    chunks.push(next.value);
  }
  // Like request.text(): malformed UTF-8 becomes U+FFFD, and the JSON parse that follows decides.
  return new TextDecoder().decode(joined(chunks, received));
}
