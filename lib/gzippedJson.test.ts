import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { GZIPPED_JSON, acceptGzippedJson, readJsonBody } from "./gzippedJson";

describe("readJsonBody", () => {
  it("unpacks an answer sent as a gzip file", async () => {
    const response = new Response(gzipSync(JSON.stringify({ nodes: [{ id: "a" }] })), { headers: { "content-type": GZIPPED_JSON } });
    expect(await readJsonBody(response)).toEqual({ nodes: [{ id: "a" }] });
  });

  it("reads plain JSON as it is", async () => {
    expect(await readJsonBody(Response.json({ error: { message: "no" } }, { status: 502 }))).toEqual({ error: { message: "no" } });
  });
});

describe("acceptGzippedJson", () => {
  it("asks for the gzip file first and still takes JSON, where the runtime can unpack gzip", () => {
    expect(acceptGzippedJson()).toBe(`${GZIPPED_JSON}, application/json;q=0.9`);
  });
});
