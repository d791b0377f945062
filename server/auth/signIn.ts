/**
 * Signing in with a Kubernetes bearer token, signing out, and telling the browser which it is.
 * A new session id is issued at every sign-in (and any previous one dropped), so an id planted in
 * the browser before sign-in is worthless afterwards (session fixation).
 * https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#renew-the-session-id-after-any-privilege-level-change
 */
import type { BlockList } from "node:net";
import { z } from "zod";
import { getConfig } from "@/server/config";
import { consoleKube } from "@/server/kube";
import { jsonError, tooManyRequests } from "@/server/http/errors";
import { jsonBody } from "@/server/http/mutations";
import { addressBlockList } from "@/server/http/addresses";
import { clearedSessionCookie, readSessionCookie, servedOverTls, sessionCookie, type CookieScope } from "./cookies";
import { signInClient } from "./signInThrottle";
import { authState } from "./state";
import { bearerTokenSchema, checkToken, kubeClientsForToken } from "./tokenIdentity";

const signInSchema = z.object({ token: bearerTokenSchema });

export interface SessionInfo {
  authMode: "anonymous" | "token";
  signedIn: boolean;
  /** When the session ends at the latest (ms since the epoch); idle sessions end sooner. */
  expiresAt?: number;
  idleTimeoutSeconds?: number;
}

function scopeOf(request: Request): CookieScope {
  return { basePath: getConfig().basePath, secure: servedOverTls(request) };
}

const noStore = { "cache-control": "no-store" };

let trustedProxies: BlockList | undefined;

export async function signIn(request: Request): Promise<Response> {
  if (getConfig().auth.mode !== "token") {
    return jsonError(409, { message: "This console does not use sign-in (MESH_CONSOLE_AUTH=anonymous): it acts with its own Kubernetes identity", reason: "auth-mode" });
  }
  const state = authState();
  trustedProxies ??= addressBlockList(getConfig().trustedProxies);
  const budget = state.signIns.take(signInClient(request, trustedProxies));
  if (!budget.allowed) {
    const whose = budget.scope === "client" ? "from your address" : "on this console";
    return tooManyRequests(`Too many sign-in attempts ${whose}; try again in ${budget.retryAfterSeconds} s`, budget.retryAfterSeconds, "rate-limited");
  }
  const { token } = await jsonBody(request, signInSchema);
  const clients = kubeClientsForToken(consoleKube(), token);
  const check = await checkToken(clients);
  if (!check.accepted) return jsonError(401, { message: check.message, reason: "bad-token" });

  state.sessions.delete(readSessionCookie(request));
  const session = state.sessions.create({ clients });
  const body: SessionInfo = { authMode: "token", signedIn: true, expiresAt: session.createdAt + state.sessions.absoluteTimeoutMs, idleTimeoutSeconds: state.sessions.idleTimeoutMs / 1000 };
  return Response.json(body, { headers: { ...noStore, "set-cookie": sessionCookie(session.id, state.sessions.absoluteTimeoutMs / 1000, scopeOf(request)) } });
}

export async function signOut(request: Request): Promise<Response> {
  const state = authState();
  const id = readSessionCookie(request);
  const session = state.sessions.peek(id);
  if (session) state.mutations.forget(session.id);
  state.sessions.delete(id);
  const body: SessionInfo = { authMode: getConfig().auth.mode, signedIn: false };
  return Response.json(body, { headers: { ...noStore, "set-cookie": clearedSessionCookie(scopeOf(request)) } });
}

export function sessionInfo(request: Request): SessionInfo {
  const mode = getConfig().auth.mode;
  if (mode === "anonymous") return { authMode: mode, signedIn: true };
  const state = authState();
  const session = state.sessions.peek(readSessionCookie(request));
  if (!session) return { authMode: mode, signedIn: false };
  return { authMode: mode, signedIn: true, expiresAt: session.createdAt + state.sessions.absoluteTimeoutMs, idleTimeoutSeconds: state.sessions.idleTimeoutMs / 1000 };
}
