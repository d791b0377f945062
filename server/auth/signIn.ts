/**
 * Signing in with a Kubernetes bearer token, signing out (both modes), and telling the browser
 * which mode and whether it is signed in. A new session id is issued at every sign-in, so an id
 * planted in the browser before sign-in is worthless afterwards (session fixation).
 * https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#renew-the-session-id-after-any-privilege-level-change
 * OpenID sign-in itself is server/auth/openid/flow.ts.
 */
import type { BlockList } from "node:net";
import { z } from "zod";
import { getConfig, type AuthMode } from "@/server/config";
import { consoleKube } from "@/server/kube";
import { jsonError, tooManyRequests } from "@/server/http/errors";
import { jsonBody } from "@/server/http/mutations";
import { addressBlockList } from "@/server/http/addresses";
import { cookieScopeOf, endSession, newSessionClaims, openSession, sealedSessionCookies } from "./session";
import { IDLE_TIMEOUT_MS, sessionEndsAt } from "./sessionClaims";
import { signInClient } from "./signInThrottle";
import { authState } from "./state";
import { bearerTokenSchema, checkToken, kubeClientsForToken } from "./tokenIdentity";

const signInSchema = z.object({ token: bearerTokenSchema });

export interface SessionInfo {
  authMode: AuthMode;
  signedIn: boolean;
  /** When the session ends at the latest (ms since the epoch); idle sessions end sooner. */
  expiresAt?: number;
  idleTimeoutSeconds?: number;
  /** openid: who is signed in, from MESH_CONSOLE_OIDC_USERNAME_CLAIM. */
  user?: string;
  /** openid sign-out: where the browser goes to end the provider's session too. */
  endSessionUrl?: string;
}

const noStore = { "cache-control": "no-store" };

let trustedProxies: BlockList | undefined;

function jsonWithCookies(body: SessionInfo, cookies: readonly string[]): Response {
  const headers = new Headers(noStore);
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return Response.json(body, { headers });
}

export async function signIn(request: Request): Promise<Response> {
  const mode = getConfig().auth.mode;
  if (mode !== "token") {
    const how = mode === "openid" ? "signs in through the identity provider (MESH_CONSOLE_AUTH=openid): open /login" : "does not use sign-in (MESH_CONSOLE_AUTH=anonymous): it acts with its own Kubernetes identity";
    return jsonError(409, { message: `This console ${how}`, reason: "auth-mode" });
  }
  const state = authState();
  trustedProxies ??= addressBlockList(getConfig().trustedProxies);
  const budget = state.signIns.take(signInClient(request, trustedProxies));
  if (!budget.allowed) {
    const whose = budget.scope === "client" ? "from your address" : "on this console";
    return tooManyRequests(`Too many sign-in attempts ${whose}; try again in ${budget.retryAfterSeconds} s`, budget.retryAfterSeconds, "rate-limited");
  }
  const { token } = await jsonBody(request, signInSchema);
  const check = await checkToken(kubeClientsForToken(consoleKube(), token));
  if (!check.accepted) return jsonError(401, { message: check.message, reason: "bad-token" });

  const claims = newSessionClaims("token", token, Date.now());
  const body: SessionInfo = { authMode: "token", signedIn: true, expiresAt: sessionEndsAt(claims), idleTimeoutSeconds: IDLE_TIMEOUT_MS / 1000 };
  return jsonWithCookies(body, await sealedSessionCookies(claims, cookieScopeOf(request)));
}

export async function signOut(request: Request): Promise<Response> {
  const mode = getConfig().auth.mode;
  const found = mode === "anonymous" ? undefined : await openSession(request);
  const claims = found?.state === "signed-in" ? found.claims : undefined;
  if (claims) authState().mutations.forget(claims.sid);
  const cookies = await endSession(claims, request);
  let endSessionUrl: string | undefined;
  if (claims?.mode === "openid") {
    const { providerSignOutUrl } = await import("./openid/flow");
    endSessionUrl = await providerSignOutUrl(claims, request);
  }
  return jsonWithCookies({ authMode: mode, signedIn: false, endSessionUrl }, cookies);
}

export async function sessionInfo(request: Request): Promise<SessionInfo> {
  const mode = getConfig().auth.mode;
  if (mode === "anonymous") return { authMode: mode, signedIn: true };
  const found = await openSession(request);
  if (found.state !== "signed-in") return { authMode: mode, signedIn: false };
  return { authMode: mode, signedIn: true, expiresAt: sessionEndsAt(found.claims), idleTimeoutSeconds: IDLE_TIMEOUT_MS / 1000, user: found.claims.user };
}
