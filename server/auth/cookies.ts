/**
 * The session cookie. HttpOnly keeps it from scripts, SameSite=Strict keeps browsers from sending
 * it on requests another site starts, Secure keeps it off plain HTTP when the console is served
 * over TLS (directly or behind a proxy that says so with X-Forwarded-Proto).
 * https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-set-cookie-header-field
 */
export const SESSION_COOKIE = "mesh-console-session";

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
  return [`Path=${scope.basePath || "/"}`, "HttpOnly", "SameSite=Strict", ...(scope.secure ? ["Secure"] : [])];
}

export function sessionCookie(id: string, maxAgeSeconds: number, scope: CookieScope): string {
  return [`${SESSION_COOKIE}=${id}`, ...attributes(scope), `Max-Age=${Math.floor(maxAgeSeconds)}`].join("; ");
}

export function clearedSessionCookie(scope: CookieScope): string {
  return [`${SESSION_COOKIE}=`, ...attributes(scope), "Max-Age=0"].join("; ");
}
