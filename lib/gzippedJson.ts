/**
 * A JSON answer the server compressed once and sends as it is to everyone who asks, as a gzip file
 * (`application/gzip`) that the browser unpacks. Next.js compresses every response itself and will
 * not pass on a route's own Content-Encoding, so at fifty viewers of a large graph it gzipped the
 * same megabytes fifty times over, and the console's memory grew with it. Asked for plainly (curl,
 * scripts), the same answer is ordinary JSON.
 */
export const GZIPPED_JSON = "application/gzip";

/** The Accept header for an answer the server can send compressed: that first, where this browser can unpack it. */
export function acceptGzippedJson(): string {
  return typeof DecompressionStream === "function" ? `${GZIPPED_JSON}, application/json;q=0.9` : "application/json";
}

/** The JSON in a response, whether it came as gzip or as plain JSON. */
export async function readJsonBody(response: Response): Promise<unknown> {
  const type = response.headers.get("content-type") ?? "";
  if (type.split(";")[0]?.trim().toLowerCase() === GZIPPED_JSON) {
    // Read whole before unpacking: Chromium's DevTools do not always keep a body that was read as a stream or a blob.
    const packed = await response.arrayBuffer();
    return new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"))).json();
  }
  return response.json();
}
