/**
 * Who a request acts as, by sign-in mode: the one place that dispatches on MESH_CONSOLE_AUTH.
 *   anonymous → the console's own identity;
 *   token, openid → the sealed session cookie (server/auth/session.ts), whose bearer token (the
 *                 pasted token, or the person's ID token) goes to Kubernetes through the same
 *                 per-person clients (server/auth/tokenIdentity.ts), so RBAC decides alike.
 * A new mode adds one case here that returns `{ kind: "person" }` with the clients that act for
 * the person (for a header mode behind an authenticating proxy: clients impersonating the user and
 * groups) and a stable key for that person's limits.
 */
import type { AuthMode } from "@/server/config";
import type { KubeClients } from "@/server/kube";
import { jsonError } from "@/server/http/errors";
import { cookieScopeOf, liveSession, renewedCookies, sessionClients, sealedSessionCookies } from "./session";
import { clearedSessionCookies, problemCookie } from "./cookies";
import { tokenDecision, type SessionClaims } from "./sessionClaims";
import { SIGN_IN_PROBLEMS, type SignInProblem } from "./openid/problems";
import { headerPerson } from "./header";

export type RequestIdentity =
  | { kind: "console" }
  /** `key` names the person's limits (mutation budget, reads at once); `cookies` go on the answer. */
  | { kind: "person"; key: string; clients: KubeClients; cookies: string[]; claims?: SessionClaims }
  | { kind: "refused"; response: Response };

export function signedOutResponse(message = "Sign in to use the console (your session may have expired)", cookies: readonly string[] = []): Response {
  const response = jsonError(401, { message, reason: "signed-out" });
  for (const cookie of cookies) response.headers.append("set-cookie", cookie);
  return response;
}

function refusedFor(request: Request, problem: SignInProblem): RequestIdentity {
  return { kind: "refused", response: signedOutResponse(SIGN_IN_PROBLEMS[problem], [...clearedSessionCookies(cookieScopeOf(request)), problemCookie(problem, cookieScopeOf(request))]) };
}

async function cookieSession(request: Request, mode: AuthMode): Promise<RequestIdentity> {
  const found = await liveSession(request, Date.now(), mode);
  if (found.state === "revoked") return refusedFor(request, "signed-out");
  if (found.state === "expired") return refusedFor(request, "session-expired");
  if (found.state !== "signed-in") return { kind: "refused", response: signedOutResponse() };
  let claims = found.claims;
  let cookies: string[] = [];
  const decision = tokenDecision(claims, Date.now());
  if (decision === "reauthenticate") return refusedFor(request, "session-expired");
  if (decision === "refresh") {
    const { refreshSession } = await import("./openid/flow");
    const outcome = await refreshSession(claims);
    if ("problem" in outcome) return refusedFor(request, outcome.problem === "provider-unreachable" ? "provider-unreachable" : "session-expired");
    claims = { ...outcome.refreshed, seenAt: Date.now() };
    cookies = await sealedSessionCookies(claims, cookieScopeOf(request));
  } else {
    const renewed = await renewedCookies(claims, request);
    claims = renewed.claims;
    cookies = renewed.cookies;
  }
  return { kind: "person", key: claims.sid, clients: sessionClients(claims), cookies, claims };
}

export async function identify(request: Request, mode: AuthMode): Promise<RequestIdentity> {
  switch (mode) {
    case "anonymous":
      return { kind: "console" };
    case "token":
    case "openid":
      return cookieSession(request, mode);
    case "header":
      return headerPerson(request);
  }
}
