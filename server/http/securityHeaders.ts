/**
 * Response headers that make a browser refuse what the console never needs: scripts it did not
 * send (a per-request nonce, so no inline script runs without it), being framed by another site
 * (clickjacking), guessing content types, and leaking URLs (which name namespaces and services)
 * in the Referer header.
 * https://developer.mozilla.org/docs/Web/HTTP/CSP and https://owasp.org/www-project-secure-headers/
 *
 * Styles keep 'unsafe-inline': server-rendered charts and the graph set style attributes, which a
 * nonce cannot cover, and a style cannot run code.
 */

export function contentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonce'd Next.js loader add its own chunks; React needs eval only in development.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Headers for every response, pages and API alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

/** API answers are data, never documents: nothing in them may run or be framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A fresh unguessable nonce per page response (128 bits). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}

/**
 * Over HTTPS: browsers then refuse plain HTTP to this host for a year, so a network attacker
 * cannot downgrade a later visit and read the session cookie. No includeSubDomains: the console
 * does not own its parent domain's other hosts. https://www.rfc-editor.org/rfc/rfc6797
 */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000";
