/**
 * The session cookie. HttpOnly keeps it from scripts, SameSite=Strict keeps browsers from sending
 * it on requests another site starts, Secure keeps it off plain HTTP when the console is served
 * over TLS (directly or behind a proxy that says so with X-Forwarded-Proto).
 * Over TLS its name carries the `__Host-` prefix: a browser then accepts it only with Secure,
 * Path=/ and no Domain, so a sibling subdomain or a plain-HTTP page cannot plant or overwrite a
 * session id for the console's host (cookie tossing). The prefix needs Path=/, so over TLS the
 * cookie is not narrowed to a base path; the host lock is the stronger guarantee.
 * https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-__host-prefix
 */
export const SESSION_COOKIE = "mesh-console-session";
export const TLS_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
/**
 * The OpenID sign-in flow's state (PKCE verifier, state, nonce) between leaving for the provider
 * and coming back. SameSite=Lax, not Strict: the way back is a navigation the provider's page
 * starts, on which browsers send no Strict cookie.
 */
export const FLOW_COOKIE = "mesh-console-openid-flow";

/**
 * A sealed session can outgrow the 4,096 bytes browsers keep per cookie (an ID token and a refresh
 * token, sealed, come to 2–3 KiB; a large groups claim more), so it is cut into chunks: the cookie
 * itself, then `NAME.1`, `NAME.2`… Writing always clears the chunks not used, so a shorter session
 * never inherits the tail of a longer one.
 * https://www.rfc-editor.org/rfc/rfc6265#section-6.1
 */
export const COOKIE_CHUNK_CHARS = 3_800;
export const MAX_COOKIE_CHUNKS = 5;

/** Whether the browser reached the console over HTTPS. */
export function servedOverTls(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  return new URL(request.url).protocol === "https:";
}

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieScope {
  /** The console's base path, or "" at the root. */
  basePath: string;
  secure: boolean;
}

function attributes(scope: CookieScope, sameSite: "Strict" | "Lax" = "Strict"): string[] {
  return scope.secure ? ["Path=/", "HttpOnly", `SameSite=${sameSite}`, "Secure"] : [`Path=${scope.basePath || "/"}`, "HttpOnly", `SameSite=${sameSite}`];
}

function cookieName(secure: boolean): string {
  return secure ? TLS_SESSION_COOKIE : SESSION_COOKIE;
}

function chunkName(base: string, index: number): string {
  return index === 0 ? base : `${base}.${index}`;
}

/** The sealed session the browser sent (its chunks joined) under the name that fits how it reached the console. */
export function readSessionCookie(request: Request): string | undefined {
  const base = cookieName(servedOverTls(request));
  let value = "";
  for (let index = 0; index < MAX_COOKIE_CHUNKS; index++) {
    const chunk = readCookie(request, chunkName(base, index));
    if (chunk === undefined) break;
    value += chunk;
  }
  return value === "" ? undefined : value;
}

/** Set-Cookie values for a sealed session; throws when it needs more than MAX_COOKIE_CHUNKS chunks. */
export function sessionCookies(value: string, maxAgeSeconds: number, scope: CookieScope): string[] {
  const base = cookieName(scope.secure);
  const chunks: string[] = [];
  for (let at = 0; at < value.length; at += COOKIE_CHUNK_CHARS) chunks.push(value.slice(at, at + COOKIE_CHUNK_CHARS));
  if (chunks.length > MAX_COOKIE_CHUNKS) throw new Error(`The session is ${value.length} characters sealed, more than ${MAX_COOKIE_CHUNKS} cookies hold; the identity provider's tokens are too large (a groups claim with very many groups?)`);
  const cookies = chunks.map((chunk, index) => [`${chunkName(base, index)}=${chunk}`, ...attributes(scope), `Max-Age=${Math.floor(maxAgeSeconds)}`].join("; "));
  for (let index = chunks.length; index < MAX_COOKIE_CHUNKS; index++) cookies.push([`${chunkName(base, index)}=`, ...attributes(scope), "Max-Age=0"].join("; "));
  return cookies;
}

export function clearedSessionCookies(scope: CookieScope): string[] {
  const base = cookieName(scope.secure);
  return Array.from({ length: MAX_COOKIE_CHUNKS }, (_, index) => [`${chunkName(base, index)}=`, ...attributes(scope), "Max-Age=0"].join("; "));
}

function flowCookieName(secure: boolean): string {
  return secure ? `__Host-${FLOW_COOKIE}` : FLOW_COOKIE;
}

export function readFlowCookie(request: Request): string | undefined {
  return readCookie(request, flowCookieName(servedOverTls(request)));
}

export function flowCookie(value: string, maxAgeSeconds: number, scope: CookieScope): string {
  return [`${flowCookieName(scope.secure)}=${value}`, ...attributes(scope, "Lax"), `Max-Age=${Math.floor(maxAgeSeconds)}`].join("; ");
}

export function clearedFlowCookie(scope: CookieScope): string {
  return [`${flowCookieName(scope.secure)}=`, ...attributes(scope, "Lax"), "Max-Age=0"].join("; ");
}

/**
 * Tells the sign-in page why the person was sent there (a sign-in problem code, validated when
 * read), when the refusal came from an API call the page's script made and the redirect carries
 * no reason. Lax, short-lived, not HttpOnly-worthy but kept HttpOnly: only the server reads it.
 */
export const PROBLEM_COOKIE = "mesh-console-sign-in-problem";

export function problemCookie(problem: string, scope: CookieScope): string {
  return [`${PROBLEM_COOKIE}=${problem}`, ...attributes(scope, "Lax"), "Max-Age=300"].join("; ");
}

export function clearedProblemCookie(scope: CookieScope): string {
  return [`${PROBLEM_COOKIE}=`, ...attributes(scope, "Lax"), "Max-Age=0"].join("; ");
}

/** A response with these Set-Cookie values added (route answers may be immutable, so it is copied). */
export function withCookies(response: Response, cookies: readonly string[]): Response {
  if (cookies.length === 0) return response;
  const headers = new Headers(response.headers);
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
