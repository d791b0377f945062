import { describe, expect, it } from "vitest";
import { clearedSessionCookie, readCookie, readSessionCookie, servedOverTls, sessionCookie } from "./cookies";

describe("session cookie", () => {
  it("is HttpOnly and SameSite=Strict, scoped to the base path, without Secure over plain HTTP", () => {
    expect(sessionCookie("abc", 3600, { basePath: "/mesh", secure: false })).toBe("mesh-console-session=abc; Path=/mesh; HttpOnly; SameSite=Strict; Max-Age=3600");
  });

  it("is a Secure __Host- cookie for the whole host when served over TLS, so no sibling subdomain can plant one", () => {
    expect(sessionCookie("abc", 60, { basePath: "/mesh", secure: true })).toBe("__Host-mesh-console-session=abc; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=60");
    expect(clearedSessionCookie({ basePath: "", secure: true })).toBe("__Host-mesh-console-session=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
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
});
