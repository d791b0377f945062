/**
 * What went wrong with OpenID sign-in, in words a person can act on. The sign-in page is told the
 * problem by code (`/login?problem=…`), never by a message from the URL, so nobody can make the
 * console's own page say something else.
 */
export const SIGN_IN_PROBLEMS = {
  "provider-unreachable": "The identity provider could not be reached. Try again in a moment; if it persists, the console's MESH_CONSOLE_OIDC_ISSUER_URL or the network to the provider needs a look.",
  "client-rejected": "The identity provider refused the console's client credentials (invalid_client): the client id or the secret in MESH_CONSOLE_OIDC_CLIENT_SECRET_FILE is wrong. An administrator must fix it.",
  "session-expired": "Your sign-in has expired or was revoked at the identity provider. Sign in again.",
  "not-authorised": "You signed in, but Kubernetes allows your account to read no namespace (every one answered 401 or 403). Ask an administrator for a RoleBinding.",
  "not-authenticated": "You signed in, but Kubernetes did not accept your identity token (401): the API server's --oidc-issuer-url or --oidc-client-id may not match this console's provider.",
  "flow-lost": "The sign-in took too long or was started in another tab. Sign in again.",
  "provider-refused": "The identity provider did not complete the sign-in (it answered with an error). Sign in again, or ask an administrator.",
  "signed-out": "You are signed out.",
} as const;

export type SignInProblem = keyof typeof SIGN_IN_PROBLEMS;

export function isSignInProblem(value: unknown): value is SignInProblem {
  return typeof value === "string" && Object.hasOwn(SIGN_IN_PROBLEMS, value);
}

function fieldOf(value: unknown, field: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[field] : undefined;
}

/** OAuth error codes and network failures anywhere in the cause chain (openid-client wraps them). */
function facts(error: unknown): { oauthError?: string; network: boolean } {
  let network = false;
  let oauthError: string | undefined;
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 6; current = fieldOf(current, "cause"), depth++) {
    const code = fieldOf(current, "code");
    const oauth = fieldOf(current, "error");
    if (typeof oauth === "string" && oauthError === undefined) oauthError = oauth;
    // A 401 with WWW-Authenticate (client authentication failed) carries the error in its challenges.
    const challenges = fieldOf(current, "cause");
    if (Array.isArray(challenges) && oauthError === undefined) {
      for (const challenge of challenges) {
        const challenged = fieldOf(fieldOf(challenge, "parameters"), "error");
        if (typeof challenged === "string") oauthError = challenged;
      }
    }
    if (typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT|UND_ERR_SOCKET)$/.test(code)) network = true;
    if (current instanceof Error && (current.name === "TimeoutError" || current.name === "AbortError" || (current instanceof TypeError && /fetch failed/i.test(current.message)))) network = true;
  }
  return { oauthError, network };
}

/** The problem behind a failed exchange with the provider: discovery, code or refresh grant. */
export function classifyProviderError(error: unknown, during: "discovery" | "code" | "refresh"): SignInProblem {
  const { oauthError, network } = facts(error);
  if (oauthError === "invalid_client" || oauthError === "unauthorized_client") return "client-rejected";
  if (oauthError === "invalid_grant") return during === "refresh" ? "session-expired" : "flow-lost";
  if (network) return "provider-unreachable";
  if (during === "discovery") return "provider-unreachable";
  if (fieldOf(error, "status") !== undefined && Number(fieldOf(error, "status")) >= 500) return "provider-unreachable";
  return during === "refresh" ? "session-expired" : "provider-refused";
}
