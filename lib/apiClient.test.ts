import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError, fetchJson, sendJson } from "./apiClient";

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the browser's API client", () => {
  it("adds the same-origin proof and the JSON content type to every change, and none to reads", async () => {
    const fetch = vi.fn(async () => answer(200, { ok: true }));
    vi.stubGlobal("fetch", fetch);
    await sendJson("PUT", "/api/x", { a: 1 }, z.object({ ok: z.boolean() }));
    await sendJson("DELETE", "/api/x", undefined, z.unknown());
    await fetchJson("/api/x", z.unknown());
    const headers = fetch.mock.calls.map((call) => (call as unknown as [string, RequestInit])[1].headers as Record<string, string>);
    expect(headers[0]).toMatchObject({ "x-mesh-console": "1", "content-type": "application/json" });
    expect(headers[1]).toMatchObject({ "x-mesh-console": "1" });
    expect(headers[1]).not.toHaveProperty("content-type");
    expect(headers[2]).not.toHaveProperty("x-mesh-console");
  });

  it("keeps the server's reason and fields on a refusal, and tells a conflict apart", async () => {
    vi.stubGlobal("fetch", async () => answer(409, { error: { message: "VirtualService a/b was changed by someone else", reason: "conflict", upstream: "kubernetes", fields: [{ field: "spec", message: "x" }] } }));
    const error = await sendJson("PUT", "/api/x", {}, z.unknown()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, reason: "conflict", upstream: "kubernetes", isConflict: true, fields: [{ field: "spec", message: "x" }] });
  });

  it("sends a signed-out person to sign-in, coming back to the page they were on", async () => {
    const assign = vi.fn();
    vi.stubGlobal("window", { location: { pathname: "/services", search: "?namespaces=bookinfo", assign } });
    vi.stubGlobal("fetch", async () => answer(401, { error: { message: "Sign in", reason: "signed-out" } }));
    await expect(sendJson("POST", "/api/x", {}, z.unknown())).rejects.toMatchObject({ status: 401 });
    await expect(fetchJson("/api/x", z.unknown())).rejects.toMatchObject({ status: 401 });
    expect(assign).toHaveBeenCalledTimes(2);
    expect(assign).toHaveBeenCalledWith("/login?next=%2Fservices%3Fnamespaces%3Dbookinfo");
  });

  it("refuses an answer of an unexpected shape", async () => {
    vi.stubGlobal("fetch", async () => answer(200, { nope: true }));
    await expect(fetchJson("/api/x", z.object({ ok: z.boolean() }))).rejects.toThrow("unexpected shape");
  });
});
