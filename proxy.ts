/**
 * Runs before every request (Next.js 16 "proxy", formerly middleware): the front door's checks
 * (server/http/frontDoor.ts: served host names, anonymous mode on loopback only, same-origin
 * changes), refused before any page or route runs; security headers on every
 * response, a fresh CSP nonce for each page (Next.js reads it from the request's CSP header and
 * puts it on its own scripts: node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md),
 * and, with sign-in (token or openid), pages for someone without a session go to /login. API routes check the
 * session themselves (server/auth/guard.ts); this redirect only spares a page full of 401s.
 */
import os from "node:os";
import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/server/config";
import { servedOverTls } from "@/server/auth/cookies";
import { openSession } from "@/server/auth/session";
import { frontDoor, type FrontDoor } from "@/server/http/frontDoor";
import { API_CONTENT_SECURITY_POLICY, contentSecurityPolicy, newNonce, SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY } from "@/server/http/securityHeaders";

let door: FrontDoor | undefined;

function theFrontDoor(): FrontDoor {
  const addresses = Object.values(os.networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
  door ??= frontDoor(getConfig(), addresses);
  return door;
}

function withSecurityHeaders(response: NextResponse, contentSecurity: string, request: NextRequest): NextResponse {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  response.headers.set("content-security-policy", contentSecurity);
  // Only over HTTPS: browsers ignore it on plain HTTP, and a console on plain HTTP must stay reachable.
  if (servedOverTls(request)) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  return response;
}

function isDataRequest(pathname: string): boolean {
  return pathname.startsWith("/api/") || pathname === "/metrics";
}

/** Whether a page request must go to sign-in: only the sealed cookie is opened here; API routes also check sign-out records. */
async function needsSignIn(request: NextRequest, pathname: string): Promise<boolean> {
  if (pathname === "/login" || pathname.startsWith("/_next/")) return false;
  // Behind an authenticating proxy there is no sign-in page: the front door already checked who is calling.
  if (getConfig().auth.mode === "anonymous" || getConfig().auth.mode === "header") return false;
  return (await openSession(request)).state !== "signed-in";
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname, search, basePath } = request.nextUrl;
  const refused = theFrontDoor().check(request);
  if (refused) {
    const body = isDataRequest(pathname) ? NextResponse.json({ error: { message: refused.message, reason: refused.reason } }, { status: refused.status }) : new NextResponse(`${refused.message}\n`, { status: refused.status, headers: { "content-type": "text/plain; charset=utf-8" } });
    body.headers.set("cache-control", "no-store");
    return withSecurityHeaders(body, API_CONTENT_SECURITY_POLICY, request);
  }
  if (isDataRequest(pathname) || pathname.startsWith("/_next/static/")) {
    return withSecurityHeaders(NextResponse.next(), API_CONTENT_SECURITY_POLICY, request);
  }
  if (await needsSignIn(request, pathname)) {
    const login = new URL(`${basePath}/login`, request.url);
    login.searchParams.set("next", `${pathname}${search}`);
    return withSecurityHeaders(NextResponse.redirect(login, 303), API_CONTENT_SECURITY_POLICY, request);
  }
  const policy = contentSecurityPolicy(newNonce(), { development: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), policy, request);
}
