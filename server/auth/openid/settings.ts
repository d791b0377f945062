/**
 * Settings of OpenID Connect sign-in and of sessions, read from the environment (pure: problems are
 * collected, not thrown, so server/config reports every wrong setting at once).
 */
export interface OpenIdSettings {
  /** The provider, found by discovery at `<issuer>/.well-known/openid-configuration`. */
  issuerUrl: string;
  clientId: string;
  /** File holding the client secret; without it the console is a public client (PKCE only). */
  clientSecretFile?: string;
  scopes: string[];
  /** Claims shown as who is signed in; Kubernetes maps the ID token by its own flags. */
  usernameClaim: string;
  groupsClaim: string;
  /** The callback as the provider must redirect to it; derived from the request when unset. */
  redirectUrl?: string;
}

export interface SessionSettings {
  /** A mounted Secret with one or two keys (server/auth/sessionKeys.ts); a random key per process without it. */
  keysDir?: string;
  /** Where the ConfigMap of signed-out sessions lives (server/auth/revocations.ts). */
  namespace: string;
}

type Env = Record<string, string | undefined>;

export const DEFAULT_OPENID_SCOPES = ["openid", "email", "profile", "offline_access"];

function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

const CLAIM = /^[A-Za-z0-9_:.\-/]{1,128}$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** An issuer must be https (plain http only on loopback, for a provider on the same machine). */
export function issuerProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `expected the provider's issuer URL such as https://login.example.com/realms/mesh, got ${JSON.stringify(value)}`;
  }
  if (url.username || url.password) return "the issuer URL must not carry credentials";
  if (url.search || url.hash) return "the issuer URL has no query or fragment";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return undefined;
  return `the issuer must be served over https (plain http only on 127.0.0.1 or localhost), got ${JSON.stringify(value)}`;
}

export function readOpenIdSettings(env: Env, problems: string[]): OpenIdSettings | undefined {
  const issuerUrl = (env.MESH_CONSOLE_OIDC_ISSUER_URL ?? "").trim();
  const clientId = (env.MESH_CONSOLE_OIDC_CLIENT_ID ?? "").trim();
  if (!issuerUrl) problems.push("MESH_CONSOLE_OIDC_ISSUER_URL: required with MESH_CONSOLE_AUTH=openid (the provider's issuer URL)");
  else {
    const problem = issuerProblem(issuerUrl);
    if (problem) problems.push(`MESH_CONSOLE_OIDC_ISSUER_URL: ${problem}`);
  }
  if (!clientId) problems.push("MESH_CONSOLE_OIDC_CLIENT_ID: required with MESH_CONSOLE_AUTH=openid (the console's client id at the provider)");
  const scopes = (env.MESH_CONSOLE_OIDC_SCOPES ?? "").split(/[\s,]+/).filter(Boolean);
  const chosenScopes = scopes.length > 0 ? scopes : DEFAULT_OPENID_SCOPES;
  if (!chosenScopes.includes("openid")) problems.push(`MESH_CONSOLE_OIDC_SCOPES: must include openid, got ${JSON.stringify(env.MESH_CONSOLE_OIDC_SCOPES)}`);
  const usernameClaim = env.MESH_CONSOLE_OIDC_USERNAME_CLAIM || "sub";
  const groupsClaim = env.MESH_CONSOLE_OIDC_GROUPS_CLAIM || "groups";
  for (const [name, value] of [
    ["MESH_CONSOLE_OIDC_USERNAME_CLAIM", usernameClaim],
    ["MESH_CONSOLE_OIDC_GROUPS_CLAIM", groupsClaim],
  ] as const) {
    if (!CLAIM.test(value)) problems.push(`${name}: expected a claim name, got ${JSON.stringify(value)}`);
  }
  const redirectUrl = env.MESH_CONSOLE_OIDC_REDIRECT_URL?.trim() || undefined;
  if (redirectUrl) {
    try {
      const url = new URL(redirectUrl);
      if (!url.pathname.endsWith("/api/auth/openid/callback")) problems.push(`MESH_CONSOLE_OIDC_REDIRECT_URL: must end with /api/auth/openid/callback, got ${JSON.stringify(redirectUrl)}`);
    } catch {
      problems.push(`MESH_CONSOLE_OIDC_REDIRECT_URL: expected a URL, got ${JSON.stringify(redirectUrl)}`);
    }
  }
  if (!issuerUrl || !clientId) return undefined;
  return { issuerUrl, clientId, clientSecretFile: env.MESH_CONSOLE_OIDC_CLIENT_SECRET_FILE?.trim() || undefined, scopes: chosenScopes, usernameClaim, groupsClaim, redirectUrl };
}

export function readSessionSettings(env: Env, problems: string[]): SessionSettings {
  const namespace = env.MESH_CONSOLE_SESSION_NAMESPACE || "istio-system";
  if (!NAMESPACE.test(namespace)) problems.push(`MESH_CONSOLE_SESSION_NAMESPACE: expected a namespace name, got ${JSON.stringify(namespace)}`);
  return { keysDir: env.MESH_CONSOLE_SESSION_KEYS_DIR?.trim() || undefined, namespace };
}
