import { describe, expect, it } from "vitest";
import { addressBlockList } from "@/server/http/addresses";
import { LOCAL_ADDRESS_HEADER, PEER_ADDRESS_HEADER } from "@/server/http/socketFacts";
import { CLIENT_SIGN_IN_BURST, CONSOLE_SIGN_IN_BURST, signInClient, SignInThrottle } from "./signInThrottle";

function attempt(peer: string, forwardedFor?: string): Request {
  const headers: Record<string, string> = { [PEER_ADDRESS_HEADER]: peer, [LOCAL_ADDRESS_HEADER]: "10.0.0.1" };
  if (forwardedFor) headers["x-forwarded-for"] = forwardedFor;
  return new Request("http://console/api/auth/login", { method: "POST", headers });
}

describe("SignInThrottle", () => {
  it("stops one client after its own budget while another still signs in (no lock-out for everyone)", () => {
    const throttle = new SignInThrottle(() => 0);
    for (let i = 0; i < CLIENT_SIGN_IN_BURST; i += 1) expect(throttle.take("203.0.113.9").allowed).toBe(true);
    expect(throttle.take("203.0.113.9")).toMatchObject({ allowed: false, scope: "client" });
    expect(throttle.take("198.51.100.4").allowed).toBe(true);
  });

  it("holds a ceiling for the console that only many clients together reach", () => {
    const throttle = new SignInThrottle(() => 0);
    let allowed = 0;
    for (let client = 0; client < 50; client += 1) for (let i = 0; i < CLIENT_SIGN_IN_BURST; i += 1) if (throttle.take(`client-${client}`).allowed) allowed += 1;
    expect(allowed).toBe(CONSOLE_SIGN_IN_BURST);
    expect(throttle.take("a-newcomer")).toMatchObject({ allowed: false, scope: "console" });
  });

  it("lets a throttled client try again once its budget refills", () => {
    let now = 0;
    const throttle = new SignInThrottle(() => now);
    for (let i = 0; i < CLIENT_SIGN_IN_BURST; i += 1) throttle.take("203.0.113.9");
    const refused = throttle.take("203.0.113.9");
    expect(refused.allowed).toBe(false);
    now += (refused.allowed ? 0 : refused.retryAfterSeconds) * 1000;
    expect(throttle.take("203.0.113.9").allowed).toBe(true);
  });
});

describe("signInClient", () => {
  it("is the socket peer: a client cannot pick a fresh X-Forwarded-For per attempt to escape its budget", () => {
    const none = addressBlockList([]);
    expect(signInClient(attempt("203.0.113.9", "1.2.3.4"), none)).toBe("203.0.113.9");
    expect(signInClient(attempt("203.0.113.9", "5.6.7.8"), none)).toBe("203.0.113.9");
  });

  it("behind a trusted proxy, is the address the proxy saw", () => {
    expect(signInClient(attempt("10.0.0.2", "198.51.100.4"), addressBlockList(["10.0.0.0/8"]))).toBe("198.51.100.4");
  });
});
