import { describe, expect, it } from "vitest";
import { clearedSessionCookies, COOKIE_CHUNK_CHARS, flowCookie, MAX_COOKIE_CHUNKS, readCookie, readSessionCookie, servedOverTls, sessionCookies } from "./cookies";

const sessionCookie = (value: string, maxAge: number, scope: { basePath: string; secure: boolean }) => sessionCookies(value, maxAge, scope)[0];

describe("session cookie", () => {
  it("is HttpOnly and SameSite=Strict, scoped to the base path, without Secure over plain HTTP", () => {
    expect(sessionCookie("abc", 3600, { basePath: "/mesh", secure: false })).toBe("mesh-console-session=abc; Path=/mesh; HttpOnly; SameSite=Strict; Max-Age=3600");
  });

  it("is a Secure __Host- cookie for the whole host when served over TLS, so no sibling subdomain can plant one", () => {
    expect(sessionCookie("abc", 60, { basePath: "/mesh", secure: true })).toBe("__Host-mesh-console-session=abc; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=60");
    expect(clearedSessionCookies({ basePath: "", secure: true })[0]).toBe("__Host-mesh-console-session=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
  });

  it("reads the session under the name that fits the scheme: over TLS a plain-named cookie (settable from HTTP) is ignored", () => {
    const tls = { "x-forwarded-proto": "https", cookie: "mesh-console-session=planted" };
    expect(readSessionCookie(new Request("http://127.0.0.1/", { headers: tls }))).toBeUndefined();
    expect(readSessionCookie(new Request("http://127.0.0.1/", { headers: { ...tls, cookie: "mesh-console-session=planted; __Host-mesh-console-session=real" } }))).toBe("real");
    expect(readSessionCookie(new Request("http://127.0.0.1/", { headers: { cookie: "mesh-console-session=plain" } }))).toBe("plain");
  });

  it("detects TLS directly or from X-Forwarded-Proto", () => {
    expect(servedOverTls(new Request("https://console.example/"))).toBe(true);
    expect(servedOverTls(new Request("http://127.0.0.1/", { headers: { "x-forwarded-proto": "https" } }))).toBe(true);
    expect(servedOverTls(new Request("http://127.0.0.1/"))).toBe(false);
  });

  it("reads one cookie among several, and not a look-alike name (cookie shadowing)", () => {
    const request = new Request("http://x/", { headers: { cookie: "xmesh-console-session=evil; mesh-console-session=good; other=1" } });
    expect(readCookie(request, "mesh-console-session")).toBe("good");
    expect(readCookie(new Request("http://x/"), "mesh-console-session")).toBeUndefined();
  });

  it("cuts a large sealed session into chunks that each fit a browser's cookie limit, and reads them back whole", () => {
    const sealed = "a".repeat(COOKIE_CHUNK_CHARS * 2 + 10);
    const cookies = sessionCookies(sealed, 60, { basePath: "", secure: false });
    const set = cookies.filter((cookie) => !cookie.includes("Max-Age=0"));
    expect(set.map((cookie) => cookie.split("=")[0])).toEqual(["mesh-console-session", "mesh-console-session.1", "mesh-console-session.2"]);
    for (const cookie of set) expect(cookie.length).toBeLessThan(4_000);
    const header = set.map((cookie) => cookie.split(";")[0]).join("; ");
    expect(readSessionCookie(new Request("http://x/", { headers: { cookie: header } }))).toBe(sealed);
  });

  it("clears the chunks a shorter session does not use, so it never inherits a longer one's tail", () => {
    const cookies = sessionCookies("short", 60, { basePath: "", secure: false });
    expect(cookies).toHaveLength(MAX_COOKIE_CHUNKS);
    expect(cookies.slice(1).every((cookie) => cookie.includes("Max-Age=0"))).toBe(true);
  });

  it("refuses a session too large for the cookies rather than storing half of it", () => {
    expect(() => sessionCookies("a".repeat(COOKIE_CHUNK_CHARS * MAX_COOKIE_CHUNKS + 1), 60, { basePath: "", secure: false })).toThrow(/too large/);
  });

  it("sends the sign-in flow's cookie on the provider's redirect back (SameSite=Lax)", () => {
    expect(flowCookie("v", 600, { basePath: "", secure: true })).toBe("__Host-mesh-console-openid-flow=v; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=600");
  });
});
