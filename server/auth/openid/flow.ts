/**
 * OpenID sign-in as the console's routes run it:
 *   start    → a sealed flow cookie (PKCE verifier, state, nonce, where to go after), 303 to the provider;
 *   callback → the code redeemed, Kubernetes asked whether it knows and authorises the person, the
 *              session cookie set, and a page that moves on to where the person was going;
 *   refresh  → a new ID token from the refresh token, before the old one expires;
 *   sign-out → recorded for every replica, and the provider's end-session URL when it has one.
 * Every failure ends on the sign-in page with a problem code (server/auth/openid/problems.ts).
 */
import { getConfig } from "@/server/config";
import { KubeError, withKubeClients } from "@/server/kube";
import { jsonError } from "@/server/http/errors";
import { safeNextPath } from "@/components/auth/safeNext";
import { allowedNamespaces } from "@/server/auth/namespaceAccess";
import { clearedFlowCookie, clearedProblemCookie, flowCookie, readFlowCookie, servedOverTls } from "@/server/auth/cookies";
import { seal, unseal } from "@/server/auth/sealing";
import { sessionKeyRing } from "@/server/auth/sessionKeys";
import { cookieScopeOf, newSessionClaims, sealedSessionCookies, sessionClients } from "@/server/auth/session";
import type { SessionClaims } from "@/server/auth/sessionClaims";
import { checkToken } from "@/server/auth/tokenIdentity";
import { z } from "zod";
import { classifyProviderError, type SignInProblem } from "./problems";
import { authorizationUrl, displayName, newFlowSecrets, providerConfiguration, redeemCode, refreshTokens, endSessionUrl } from "./provider";
import type { OpenIdSettings } from "./settings";

/** The time a person has at the provider's login page. */
export const FLOW_TTL_MS = 10 * 60_000;

const flowSchema = z.object({ codeVerifier: z.string(), state: z.string(), nonce: z.string(), next: z.string(), startedAt: z.number() });

function settings(): OpenIdSettings {
  const openid = getConfig().auth.openid;
  if (!openid) throw new Error("MESH_CONSOLE_AUTH is not openid");
  return openid;
}

/** The console's address as the browser reached it (the front door has already checked the host). */
function consoleOrigin(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get("host") ?? url.host;
  return `${servedOverTls(request) ? "https" : "http"}://${host}`;
}

export function redirectUri(request: Request, openid: OpenIdSettings = settings()): string {
  return openid.redirectUrl ?? `${consoleOrigin(request)}${getConfig().basePath}/api/auth/openid/callback`;
}

function loginUrl(request: Request, problem?: SignInProblem): string {
  return `${consoleOrigin(request)}${getConfig().basePath}/login${problem ? `?problem=${problem}` : ""}`;
}

/**
 * A page that moves on by itself: the callback is reached by a navigation the provider started, on
 * which browsers withhold SameSite=Strict cookies, and a redirect would carry that over; a new
 * navigation from the console's own page sends the session cookie.
 */
function continuePage(target: string, cookies: readonly string[]): Response {
  const escaped = target.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const headers = new Headers({ "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escaped}"><title>Signing in…</title></head><body><p>Signing in… <a href="${escaped}">Continue</a></p></body></html>`, { status: 200, headers });
}

function toLogin(request: Request, problem: SignInProblem, cookies: readonly string[] = []): Response {
  return continuePage(loginUrl(request, problem), [clearedFlowCookie(cookieScopeOf(request)), ...cookies]);
}

function notOpenId(): Response | undefined {
  if (getConfig().auth.mode === "openid") return undefined;
  return jsonError(409, { message: `This console does not sign in through an identity provider (MESH_CONSOLE_AUTH=${getConfig().auth.mode})`, reason: "auth-mode" });
}

export async function startOpenIdSignIn(request: Request): Promise<Response> {
  const refused = notOpenId();
  if (refused) return refused;
  const openid = settings();
  const next = safeNextPath(new URL(request.url).searchParams.get("next"));
  let configuration;
  try {
    configuration = await providerConfiguration(openid);
  } catch (error) {
    return toLogin(request, classifyProviderError(error, "discovery"));
  }
  const secrets = newFlowSecrets();
  const target = await authorizationUrl(configuration, openid, redirectUri(request, openid), secrets);
  const sealed = await seal("mesh-console-openid-flow", { ...secrets, next, startedAt: Date.now() }, await sessionKeyRing(getConfig().auth.sessions.keysDir));
  return new Response(null, { status: 303, headers: { location: target.href, "cache-control": "no-store", "set-cookie": flowCookie(sealed, FLOW_TTL_MS / 1000, cookieScopeOf(request)) } });
}

/** Whether Kubernetes accepts the ID token, and lets it read at least one namespace. */
async function kubernetesProblem(claims: SessionClaims): Promise<SignInProblem | undefined> {
  const clients = sessionClients(claims);
  const check = await checkToken(clients);
  if (!check.accepted) return "not-authenticated";
  try {
    const allowed = await withKubeClients(clients, () => allowedNamespaces());
    return allowed.all || allowed.namespaces.size > 0 ? undefined : "not-authorised";
  } catch (error) {
    if (error instanceof KubeError && (error.failure === "forbidden" || error.failure === "unauthorized")) return "not-authorised";
    throw error;
  }
}

export async function finishOpenIdSignIn(request: Request): Promise<Response> {
  const refused = notOpenId();
  if (refused) return refused;
  const openid = settings();
  const flow = flowSchema.safeParse(await unseal("mesh-console-openid-flow", readFlowCookie(request), await sessionKeyRing(getConfig().auth.sessions.keysDir)));
  if (!flow.success || Date.now() - flow.data.startedAt > FLOW_TTL_MS) return toLogin(request, "flow-lost");
  const callback = new URL(redirectUri(request, openid));
  callback.search = new URL(request.url).search;
  if (callback.searchParams.has("error")) {
    return toLogin(request, callback.searchParams.get("error") === "access_denied" ? "provider-refused" : "provider-refused");
  }
  let tokens;
  try {
    tokens = await redeemCode(await providerConfiguration(openid), callback, flow.data);
  } catch (error) {
    return toLogin(request, classifyProviderError(error, "code"));
  }
  const claims = newSessionClaims("openid", tokens.idToken, Date.now(), { refreshToken: tokens.refreshToken, tokenExpiresAt: tokens.expiresAt, user: displayName(tokens.claims, openid) });
  const problem = await kubernetesProblem(claims);
  if (problem) return toLogin(request, problem);
  const cookies = await sealedSessionCookies(claims, cookieScopeOf(request));
  return continuePage(`${consoleOrigin(request)}${getConfig().basePath}${flow.data.next}`, [clearedFlowCookie(cookieScopeOf(request)), clearedProblemCookie(cookieScopeOf(request)), ...cookies]);
}

export type RefreshOutcome = { refreshed: SessionClaims } | { problem: SignInProblem };

const refreshesKey = Symbol.for("mesh-console.openid-refreshes");
type Holder = typeof globalThis & { [refreshesKey]?: Map<string, Promise<RefreshOutcome>> };

/**
 * A new ID token for the session. Requests of one session that need it at once share one grant
 * in this process (a provider rotating refresh tokens would refuse the second use of the old one).
 */
export function refreshSession(claims: SessionClaims): Promise<RefreshOutcome> {
  const holder = globalThis as Holder;
  const inFlight = (holder[refreshesKey] ??= new Map());
  const running = inFlight.get(claims.sid);
  if (running) return running;
  const outcome = (async (): Promise<RefreshOutcome> => {
    if (!claims.refreshToken) return { problem: "session-expired" };
    try {
      const tokens = await refreshTokens(await providerConfiguration(settings()), claims.refreshToken);
      if (!tokens) return { problem: "session-expired" };
      return { refreshed: { ...claims, token: tokens.idToken, refreshToken: tokens.refreshToken, tokenExpiresAt: tokens.expiresAt } };
    } catch (error) {
      return { problem: classifyProviderError(error, "refresh") };
    }
  })().finally(() => inFlight.delete(claims.sid));
  inFlight.set(claims.sid, outcome);
  return outcome;
}

/** The provider's end-session URL for this session, coming back to the console's sign-in page. */
export async function providerSignOutUrl(claims: SessionClaims, request: Request): Promise<string | undefined> {
  try {
    return endSessionUrl(await providerConfiguration(settings()), claims.token, loginUrl(request))?.href;
  } catch {
    // The console's own session is over either way; the provider's may outlive it.
    return undefined;
  }
}
