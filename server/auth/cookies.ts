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

function attributes(scope: CookieScope): string[] {
  return scope.secure ? ["Path=/", "HttpOnly", "SameSite=Strict", "Secure"] : [`Path=${scope.basePath || "/"}`, "HttpOnly", "SameSite=Strict"];
}

function cookieName(secure: boolean): string {
  return secure ? TLS_SESSION_COOKIE : SESSION_COOKIE;
}

/** The session id the browser sent under the name that fits how it reached the console. */
export function readSessionCookie(request: Request): string | undefined {
  return readCookie(request, cookieName(servedOverTls(request)));
}

export function sessionCookie(id: string, maxAgeSeconds: number, scope: CookieScope): string {
  return [`${cookieName(scope.secure)}=${id}`, ...attributes(scope), `Max-Age=${Math.floor(maxAgeSeconds)}`].join("; ");
}

export function clearedSessionCookie(scope: CookieScope): string {
  return [`${cookieName(scope.secure)}=`, ...attributes(scope), "Max-Age=0"].join("; ");
}
