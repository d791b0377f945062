import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigWriteError } from "@/server/kube/writes";
import { jsonBody, mutationRoute } from "./mutations";
import { MAX_REQUEST_BYTES } from "./requestBody";

const route = mutationRoute("/test", async (request: Request) => {
  const body = z.object({ yaml: z.string() }).parse(await request.json());
  if (body.yaml === "refuse") throw new ConfigWriteError("view-only", 403, "view-only");
  return Response.json({ ok: true });
});

function put(headers: Record<string, string>, body = JSON.stringify({ yaml: "kind: VirtualService" })): Promise<Response> {
  return route(new Request("http://console.test/test", { method: "PUT", headers, body }), {});
}

describe("routes that change the cluster", () => {
  it("refuse requests without the same-origin header, as a cross-site form would send them", async () => {
    const response = await put({ "content-type": "application/json" });
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toContain("x-mesh-console: 1");
  });

  it("refuse bodies that are not JSON with 415", async () => {
    const response = await put({ "x-mesh-console": "1", "content-type": "text/plain" }, "kind: VirtualService");
    expect(response.status).toBe(415);
  });

  it("pass a JSON request with the header to the handler, and map the console's own refusals", async () => {
    expect((await put({ "x-mesh-console": "1", "content-type": "application/json; charset=utf-8" })).status).toBe(200);
    const refused = await put({ "x-mesh-console": "1", "content-type": "application/json" }, JSON.stringify({ yaml: "refuse" }));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.reason).toBe("view-only");
  });
});

describe("jsonBody", () => {
  const editor = mutationRoute("/test", async (request: Request) => Response.json({ length: (await jsonBody(request, z.object({ yaml: z.string() }))).yaml.length }));
  const headers = { "x-mesh-console": "1", "content-type": "application/json" };
  /** `{"yaml":"   …"}` of exactly `bytes` bytes, sent in 64 KiB chunks without a Content-Length, as a chunked upload is. */
  function chunkedEditorBody(bytes: number): Request {
    const text = new TextEncoder().encode(`{"yaml":"${" ".repeat(bytes - 11)}"}`);
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= text.byteLength) return controller.close();
        controller.enqueue(text.slice(offset, offset + 64 * 1024));
        offset += 64 * 1024;
      },
    });
    return new Request("http://console.test/test", { method: "PUT", headers, body, duplex: "half" } as RequestInit);
  }

  it("accepts a chunked body of exactly MAX_REQUEST_BYTES and refuses one byte more with 413", async () => {
    const atLimit = await editor(chunkedEditorBody(MAX_REQUEST_BYTES), {});
    expect(atLimit.status).toBe(200);
    const over = await editor(chunkedEditorBody(MAX_REQUEST_BYTES + 1), {});
    expect(over.status).toBe(413);
    expect((await over.json()).error).toEqual({ message: "The request body is larger than 600 KiB, the most the console accepts", reason: "too-large" });
  });

  it("still refuses a body that is not JSON with 400", async () => {
    const response = await editor(new Request("http://console.test/test", { method: "PUT", headers, body: "{" }), {});
    expect(response.status).toBe(400);
  });
});
