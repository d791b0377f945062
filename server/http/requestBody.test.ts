import { describe, expect, it } from "vitest";
import { announcesTooLarge, MAX_REQUEST_BYTES, readBodyText, RequestBodyUnreadableError, RequestTooLargeError } from "./requestBody";

/** A body sent in `chunks`, as a chunked upload arrives, counting how far it was read and whether it was cancelled. */
function streamedBody(chunks: readonly Uint8Array[], options: { failAt?: number } = {}) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (options.failAt === seen.pulled) {
        controller.error(new Error("connection reset"));
        return;
      }
      const chunk = chunks[seen.pulled];
      seen.pulled += 1;
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
    cancel() {
      seen.cancelled = true;
    },
    // Nothing is pulled before the reader asks, as a socket is not read ahead of the route.
  }, { highWaterMark: 0 });
  return { stream, seen };
}

function post(body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}): Request {
  return new Request("http://console.test/api/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

const bytes = (count: number, fill = 0x20) => new Uint8Array(count).fill(fill);

describe("announcesTooLarge", () => {
  it("is true only for a Content-Length past the limit", () => {
    expect(announcesTooLarge(post("", { "content-length": String(MAX_REQUEST_BYTES) }))).toBe(false);
    expect(announcesTooLarge(post("", { "content-length": String(MAX_REQUEST_BYTES + 1) }))).toBe(true);
    expect(announcesTooLarge(post("x"), 0)).toBe(false);
  });
});

describe("readBodyText", () => {
  it("reads a body of exactly the limit, sent in chunks", async () => {
    const { stream } = streamedBody([bytes(6), bytes(4)]);
    expect(await readBodyText(post(stream), 10)).toBe(" ".repeat(10));
  });

  it("stops at the chunk that passes the limit and cancels the rest (a chunked body has no length to check first)", async () => {
    const { stream, seen } = streamedBody([bytes(6), bytes(5), bytes(100), bytes(100)]);
    const reading = readBodyText(post(stream), 10);
    await expect(reading).rejects.toBeInstanceOf(RequestTooLargeError);
    await expect(reading).rejects.toMatchObject({ status: 413, reason: "too-large" });
    expect(seen.pulled).toBe(2);
    expect(seen.cancelled).toBe(true);
  });

  it("refuses a body whose Content-Length is over the limit without reading a byte of it", async () => {
    const { stream, seen } = streamedBody([bytes(5)]);
    await expect(readBodyText(post(stream, { "content-length": "11" }), 10)).rejects.toBeInstanceOf(RequestTooLargeError);
    expect(seen.pulled).toBe(0);
  });

  it("does not trust a Content-Length that understates the body", async () => {
    const { stream } = streamedBody([bytes(8), bytes(8)]);
    await expect(readBodyText(post(stream, { "content-length": "4" }), 10)).rejects.toBeInstanceOf(RequestTooLargeError);
  });

  it("decodes UTF-8 split across chunks, and an empty body as empty text", async () => {
    const euro = new TextEncoder().encode('{"v":"€"}');
    const { stream } = streamedBody([euro.slice(0, 7), euro.slice(7)]);
    expect(await readBodyText(post(stream))).toBe('{"v":"€"}');
    expect(await readBodyText(new Request("http://console.test/api/x", { method: "POST" }))).toBe("");
  });

  it("says the body could not be read when the connection fails mid-way", async () => {
    const { stream } = streamedBody([bytes(4), bytes(4)], { failAt: 1 });
    await expect(readBodyText(post(stream))).rejects.toBeInstanceOf(RequestBodyUnreadableError);
  });

  it("names the limit in a message a person can act on", () => {
    expect(new RequestTooLargeError().message).toBe("The request body is larger than 600 KiB, the most the console accepts");
  });
});
