import { describe, expect, it } from "vitest";
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, needsSeenRenewal, newSessionId, parseSessionClaims, REFRESH_MARGIN_MS, SEEN_RENEWAL_MS, sessionExpired, tokenDecision, type SessionClaims } from "./sessionClaims";

const start = 1_800_000_000_000;
const claims = (extra: Partial<SessionClaims> = {}): SessionClaims => ({ v: 1, sid: newSessionId(), mode: "token", createdAt: start, seenAt: start, token: "t", ...extra });

describe("session limits", () => {
  it("ends a session idle for the idle timeout", () => {
    expect(sessionExpired(claims(), start + IDLE_TIMEOUT_MS - 1)).toBe(false);
    expect(sessionExpired(claims(), start + IDLE_TIMEOUT_MS)).toBe(true);
  });

  it("ends a busy session at the absolute timeout", () => {
    expect(sessionExpired(claims({ seenAt: start + ABSOLUTE_TIMEOUT_MS - 1 }), start + ABSOLUTE_TIMEOUT_MS)).toBe(true);
  });

  it("renews the last-seen mark at most once a minute", () => {
    expect(needsSeenRenewal(claims(), start + SEEN_RENEWAL_MS - 1)).toBe(false);
    expect(needsSeenRenewal(claims(), start + SEEN_RENEWAL_MS)).toBe(true);
  });

  it("accepts only well-formed claims", () => {
    expect(parseSessionClaims(claims())).toBeDefined();
    expect(parseSessionClaims({ ...claims(), sid: "short" })).toBeUndefined();
    expect(parseSessionClaims({ ...claims(), mode: "header" })).toBeUndefined();
  });
});

describe("token expiry decisions", () => {
  it("uses a token mode token as it is", () => {
    expect(tokenDecision(claims(), start + 10 * ABSOLUTE_TIMEOUT_MS)).toBe("use");
  });

  it("refreshes an ID token within the margin of its expiry when there is a refresh token", () => {
    const openid = claims({ mode: "openid", tokenExpiresAt: start + 5 * 60_000, refreshToken: "r" });
    expect(tokenDecision(openid, start)).toBe("use");
    expect(tokenDecision(openid, start + 5 * 60_000 - REFRESH_MARGIN_MS)).toBe("refresh");
    expect(tokenDecision(openid, start + 10 * 60_000)).toBe("refresh");
  });

  it("asks to sign in again once an ID token without a refresh token has expired", () => {
    const openid = claims({ mode: "openid", tokenExpiresAt: start + 60_000 });
    expect(tokenDecision(openid, start + 30_000)).toBe("use");
    expect(tokenDecision(openid, start + 60_000)).toBe("reauthenticate");
  });
});
