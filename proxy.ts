/**
 * Runs before every request (Next.js 16 "proxy", formerly middleware): security headers on every
 * response, a fresh CSP nonce for each page (Next.js reads it from the request's CSP header and
 * puts it on its own scripts: node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md),
 * and, with token sign-in, pages for someone without a session go to /login. API routes check the
 * session themselves (server/auth/guard.ts); this redirect only spares a page full of 401s.
 */
import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/server/config";
import { readCookie, SESSION_COOKIE } from "@/server/auth/cookies";
import { authState } from "@/server/auth/state";
import { API_CONTENT_SECURITY_POLICY, contentSecurityPolicy, newNonce, SECURITY_HEADERS } from "@/server/http/securityHeaders";

function withSecurityHeaders(response: NextResponse, contentSecurity: string): NextResponse {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  response.headers.set("content-security-policy", contentSecurity);
  return response;
}

function isDataRequest(pathname: string): boolean {
  return pathname.startsWith("/api/") || pathname === "/metrics";
}

function needsSignIn(request: NextRequest, pathname: string): boolean {
  if (pathname === "/login" || pathname.startsWith("/_next/")) return false;
  if (getConfig().auth.mode !== "token") return false;
  return !authState().sessions.peek(readCookie(request, SESSION_COOKIE));
}

export function proxy(request: NextRequest): NextResponse {
  const { pathname, search, basePath } = request.nextUrl;
  if (isDataRequest(pathname) || pathname.startsWith("/_next/static/")) {
    return withSecurityHeaders(NextResponse.next(), API_CONTENT_SECURITY_POLICY);
  }
  if (needsSignIn(request, pathname)) {
    const login = new URL(`${basePath}/login`, request.url);
    login.searchParams.set("next", `${pathname}${search}`);
    return withSecurityHeaders(NextResponse.redirect(login, 303), API_CONTENT_SECURITY_POLICY);
  }
  const policy = contentSecurityPolicy(newNonce(), { development: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), policy);
}
