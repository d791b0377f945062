import { describe, expect, it } from "vitest";
import { classifyProviderError, isSignInProblem, SIGN_IN_PROBLEMS } from "./problems";

class OAuthError extends Error {
  constructor(readonly error: string, readonly status = 400) {
    super(`server responded with an error in the response body: ${error}`);
  }
}

describe("sign-in problems", () => {
  it("tells a wrong client secret apart from everything else", () => {
    expect(classifyProviderError(new OAuthError("invalid_client", 401), "code")).toBe("client-rejected");
    expect(classifyProviderError(new OAuthError("invalid_client", 401), "refresh")).toBe("client-rejected");
    // openid-client's error for a 401 whose WWW-Authenticate challenge names the error.
    const challenge = Object.assign(new Error("server responded with a challenge in the WWW-Authenticate HTTP Header"), { code: "OAUTH_WWW_AUTHENTICATE_CHALLENGE", status: 401, cause: [{ scheme: "basic", parameters: { error: "invalid_client" } }] });
    expect(classifyProviderError(challenge, "code")).toBe("client-rejected");
  });

  it("asks to sign in again when the refresh token has expired or was revoked", () => {
    expect(classifyProviderError(new OAuthError("invalid_grant"), "refresh")).toBe("session-expired");
  });

  it("names an unreachable provider, even when the network error is wrapped", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(classifyProviderError(new TypeError("fetch failed", { cause: refused }), "code")).toBe("provider-unreachable");
    const wrapped = Object.assign(new Error("unexpected error"), { code: "OAUTH_X", cause: new TypeError("fetch failed") });
    expect(classifyProviderError(wrapped, "refresh")).toBe("provider-unreachable");
    expect(classifyProviderError(new Error("\"response\" is not a conform Authorization Server Metadata response"), "discovery")).toBe("provider-unreachable");
  });

  it("treats a reused or stale authorization code as a lost flow, not a broken provider", () => {
    expect(classifyProviderError(new OAuthError("invalid_grant"), "code")).toBe("flow-lost");
  });

  it("accepts only known problem codes from the URL", () => {
    expect(isSignInProblem("client-rejected")).toBe(true);
    expect(isSignInProblem("<script>")).toBe(false);
    expect(isSignInProblem("toString")).toBe(false);
    expect(Object.keys(SIGN_IN_PROBLEMS).length).toBeGreaterThan(5);
  });
});
