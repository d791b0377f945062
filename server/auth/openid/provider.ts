/**
 * The console as an OpenID Connect relying party, with openid-client (a certified implementation):
 * discovery by issuer URL, the authorization-code flow with PKCE (S256), `state` and `nonce`,
 * the refresh-token grant, and RP-initiated logout where the provider offers it.
 * https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 * https://www.rfc-editor.org/rfc/rfc7636 and https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 *
 * Discovery is done once per process and retried at the next sign-in after a failure.
 */
import { readFile } from "node:fs/promises";
import * as oidc from "openid-client";
import type { OpenIdSettings } from "./settings";

/** Time limit of one call to the provider. */
export const PROVIDER_TIMEOUT_SECONDS = 10;

const globalKey = Symbol.for("mesh-console.openid-configuration");
type Holder = typeof globalThis & { [globalKey]?: { issuer: string; configuration: Promise<oidc.Configuration> } };

async function discover(settings: OpenIdSettings): Promise<oidc.Configuration> {
  const secret = settings.clientSecretFile ? (await readFile(settings.clientSecretFile, "utf8")).trim() : undefined;
  const issuer = new URL(settings.issuerUrl);
  const plainHttp = issuer.protocol === "http:";
  const configuration = await oidc.discovery(issuer, settings.clientId, secret ? { client_secret: secret } : undefined, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
    timeout: PROVIDER_TIMEOUT_SECONDS,
    // Settings accept plain http only for a provider on loopback (server/auth/openid/settings.ts).
    execute: plainHttp ? [oidc.allowInsecureRequests] : [],
  });
  return configuration;
}

export function providerConfiguration(settings: OpenIdSettings): Promise<oidc.Configuration> {
  const holder = globalThis as Holder;
  const cached = holder[globalKey];
  if (cached && cached.issuer === settings.issuerUrl) return cached.configuration;
  const configuration = discover(settings);
  holder[globalKey] = { issuer: settings.issuerUrl, configuration };
  configuration.catch(() => {
    if (holder[globalKey]?.configuration === configuration) delete holder[globalKey];
  });
  return configuration;
}

export interface FlowSecrets {
  codeVerifier: string;
  state: string;
  nonce: string;
}

export function newFlowSecrets(): FlowSecrets {
  return { codeVerifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
}

export async function authorizationUrl(configuration: oidc.Configuration, settings: OpenIdSettings, redirectUri: string, secrets: FlowSecrets): Promise<URL> {
  const parameters: Record<string, string> = {
    redirect_uri: redirectUri,
    scope: settings.scopes.join(" "),
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(secrets.codeVerifier),
    code_challenge_method: "S256",
    state: secrets.state,
    nonce: secrets.nonce,
  };
  // OpenID Connect Core 11: a refresh token for offline_access is issued only with prompt=consent.
  if (settings.scopes.includes("offline_access")) parameters.prompt = "consent";
  return oidc.buildAuthorizationUrl(configuration, parameters);
}

export interface IssuedTokens {
  idToken: string;
  refreshToken?: string;
  /** The ID token's `exp`, ms since the epoch. */
  expiresAt: number;
  claims: Record<string, unknown>;
}

function issued(tokens: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>, previousRefreshToken?: string): IssuedTokens | undefined {
  const claims = tokens.claims();
  if (!tokens.id_token || !claims) return undefined;
  return { idToken: tokens.id_token, refreshToken: tokens.refresh_token ?? previousRefreshToken, expiresAt: claims.exp * 1000, claims: claims as Record<string, unknown> };
}

/** Exchanges the code the provider sent back, checking state, nonce and the PKCE verifier. */
export async function redeemCode(configuration: oidc.Configuration, callbackUrl: URL, secrets: FlowSecrets): Promise<IssuedTokens> {
  const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, { pkceCodeVerifier: secrets.codeVerifier, expectedState: secrets.state, expectedNonce: secrets.nonce, idTokenExpected: true });
  const result = issued(tokens);
  if (!result) throw new Error("The identity provider answered without an ID token");
  return result;
}

/** A fresh ID token (and perhaps a rotated refresh token); undefined when the provider sent no ID token. */
export async function refreshTokens(configuration: oidc.Configuration, refreshToken: string): Promise<IssuedTokens | undefined> {
  return issued(await oidc.refreshTokenGrant(configuration, refreshToken), refreshToken);
}

/** Where to send the browser to end the provider's session too, when the provider offers it. */
export function endSessionUrl(configuration: oidc.Configuration, idToken: string, postLogoutRedirectUri: string): URL | undefined {
  if (!configuration.serverMetadata().end_session_endpoint) return undefined;
  return oidc.buildEndSessionUrl(configuration, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri });
}

/** The claim named by MESH_CONSOLE_OIDC_USERNAME_CLAIM, shown as who is signed in. */
export function displayName(claims: Record<string, unknown>, settings: OpenIdSettings): string | undefined {
  const value = claims[settings.usernameClaim] ?? claims.sub;
  return typeof value === "string" ? value.slice(0, 256) : undefined;
}
