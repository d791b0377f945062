import { describe, expect, it } from "vitest";
import { clearedSessionCookie, readCookie, servedOverTls, sessionCookie } from "./cookies";

describe("session cookie", () => {
  it("is HttpOnly and SameSite=Strict, scoped to the base path, without Secure over plain HTTP", () => {
    expect(sessionCookie("abc", 3600, { basePath: "/mesh", secure: false })).toBe("mesh-console-session=abc; Path=/mesh; HttpOnly; SameSite=Strict; Max-Age=3600");
  });

  it("is Secure when served over TLS", () => {
    expect(sessionCookie("abc", 60, { basePath: "", secure: true })).toContain("; Secure");
    expect(clearedSessionCookie({ basePath: "", secure: true })).toBe("mesh-console-session=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
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
