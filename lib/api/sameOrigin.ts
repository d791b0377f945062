/**
 * The same-origin proof every change to the console carries. A page on another site cannot add a
 * custom header to a cross-site request without a CORS preflight, which the console never grants,
 * so a forged form post or image tag cannot make the console write. The browser's client adds it
 * (lib/apiClient.ts) and the server requires it (server/http/sameOrigin.ts).
 */
export const SAME_ORIGIN_HEADER = "x-mesh-console";
export const SAME_ORIGIN_VALUE = "1";
