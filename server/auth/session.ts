/**
 * Sessions kept by the browser: the claims (server/auth/sessionClaims.ts) sealed into the session
 * cookie (server/auth/sealing.ts) with keys every replica shares (server/auth/sessionKeys.ts),
 * checked against the record of signed-out sessions in Kubernetes (server/auth/revocations.ts).
 * Any replica can open, renew and end any session; a restart loses nothing.
 *
 * The Kubernetes clients built for a session's token are kept per process (bounded), since
 * building them costs more than a request and namespace access is cached per set of clients.
 */
import { getConfig, type AuthMode } from "@/server/config";
import { consoleKube, type KubeClients } from "@/server/kube";
import { clearedSessionCookies, readSessionCookie, servedOverTls, sessionCookies, type CookieScope } from "./cookies";
import { RevocationStore } from "./revocations";
import { seal, unseal } from "./sealing";
import { ABSOLUTE_TIMEOUT_MS, needsSeenRenewal, newSessionId, parseSessionClaims, sessionEndsAt, sessionExpired, type SessionClaims } from "./sessionClaims";
import { sessionKeyRing } from "./sessionKeys";
import { kubeClientsForToken } from "./tokenIdentity";

export function cookieScopeOf(request: Request): CookieScope {
  return { basePath: getConfig().basePath, secure: servedOverTls(request) };
}

const MAX_CACHED_CLIENTS = 2_000;
const clientsKey = Symbol.for("mesh-console.session-clients");
const revocationsKey = Symbol.for("mesh-console.revocations");
type Holder = typeof globalThis & { [clientsKey]?: Map<string, { token: string; clients: KubeClients }>; [revocationsKey]?: SignOutRecord };

function clientCache(): Map<string, { token: string; clients: KubeClients }> {
  const holder = globalThis as Holder;
  holder[clientsKey] ??= new Map();
  return holder[clientsKey];
}

/** Clients that send this session's token; the same object while the token is the same. */
export function sessionClients(claims: SessionClaims): KubeClients {
  const cache = clientCache();
  const cached = cache.get(claims.sid);
  if (cached && cached.token === claims.token) {
    // Most recently used last, so the oldest entry is the first one dropped.
    cache.delete(claims.sid);
    cache.set(claims.sid, cached);
    return cached.clients;
  }
  const clients = kubeClientsForToken(consoleKube(), claims.token);
  cache.delete(claims.sid);
  cache.set(claims.sid, { token: claims.token, clients });
  while (cache.size > MAX_CACHED_CLIENTS) {
    const oldest = cache.keys().next();
    if (oldest.done) break;
    cache.delete(oldest.value);
  }
  return clients;
}

/** What the sessions need of the sign-out record; tests without a cluster supply their own. */
export type SignOutRecord = Pick<RevocationStore, "revoked" | "revoke">;

export function revocations(): SignOutRecord {
  const holder = globalThis as Holder;
  holder[revocationsKey] ??= new RevocationStore(getConfig().auth.sessions.namespace);
  return holder[revocationsKey];
}

/** For tests: the record to use instead of the ConfigMap (undefined: the ConfigMap again). */
export function useSignOutRecord(record: SignOutRecord | undefined): void {
  (globalThis as Holder)[revocationsKey] = record;
}

function keyRing() {
  return sessionKeyRing(getConfig().auth.sessions.keysDir);
}

/** A new session's claims: a fresh id at every sign-in, so an id planted before sign-in is worthless (session fixation). */
export function newSessionClaims(mode: SessionClaims["mode"], token: string, now: number, extra: Pick<SessionClaims, "refreshToken" | "tokenExpiresAt" | "user"> = {}): SessionClaims {
  return { v: 1, sid: newSessionId(), mode, createdAt: now, seenAt: now, token, ...extra };
}

/** Set-Cookie values carrying these claims, living until the session's absolute end. */
export async function sealedSessionCookies(claims: SessionClaims, scope: CookieScope, now: number = Date.now()): Promise<string[]> {
  const sealed = await seal("mesh-console-session", claims, await keyRing());
  return sessionCookies(sealed, Math.max(1, (sessionEndsAt(claims) - now) / 1000), scope);
}

export type SessionLookup = { state: "signed-in"; claims: SessionClaims } | { state: "signed-out" | "expired" | "revoked" };

/**
 * The session the request carries, without checking the revocation record (for the page proxy,
 * which only decides whether to show the sign-in page; every API request checks it).
 */
export async function openSession(request: Request, now: number = Date.now(), mode: AuthMode = getConfig().auth.mode): Promise<SessionLookup> {
  const value = readSessionCookie(request);
  if (!value) return { state: "signed-out" };
  const claims = parseSessionClaims(await unseal("mesh-console-session", value, await keyRing()));
  // A session made in another mode (the console was switched from token to openid) does not carry over.
  if (!claims || claims.mode !== mode) return { state: "signed-out" };
  if (sessionExpired(claims, now)) return { state: "expired" };
  return { state: "signed-in", claims };
}

/** As openSession, and refused when the session was signed out on any replica. */
export async function liveSession(request: Request, now: number = Date.now(), mode: AuthMode = getConfig().auth.mode): Promise<SessionLookup> {
  const found = await openSession(request, now, mode);
  if (found.state !== "signed-in") return found;
  return (await revocations().revoked(found.claims.sid)) ? { state: "revoked" } : found;
}

/** The cookies to send back so the idle limit counts from this request (at most once a minute). */
export async function renewedCookies(claims: SessionClaims, request: Request, now: number = Date.now()): Promise<{ claims: SessionClaims; cookies: string[] }> {
  if (!needsSeenRenewal(claims, now)) return { claims, cookies: [] };
  const renewed = { ...claims, seenAt: now };
  return { claims: renewed, cookies: await sealedSessionCookies(renewed, cookieScopeOf(request), now) };
}

/** Signs the session out everywhere: recorded in Kubernetes first, then the cookies are cleared. */
export async function endSession(claims: SessionClaims | undefined, request: Request): Promise<string[]> {
  if (claims) {
    await revocations().revoke(claims.sid, Math.min(sessionEndsAt(claims), claims.createdAt + ABSOLUTE_TIMEOUT_MS));
    clientCache().delete(claims.sid);
  }
  return clearedSessionCookies(cookieScopeOf(request));
}
