/**
 * OpenID Connect ID tokens as bearer tokens, verified as kube-apiserver does with its `--oidc-*`
 * flags: the issuer (`iss` equal to --oidc-issuer-url), the audience (`aud` holding
 * --oidc-client-id), the signature against the issuer's JWKS (found by discovery), `exp` and `nbf`;
 * then the user name from --oidc-username-claim with --oidc-username-prefix, and the groups from
 * --oidc-groups-claim with --oidc-groups-prefix.
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#openid-connect-tokens
 *
 * Prefix defaults follow kube-apiserver: with no --oidc-username-prefix, a claim other than
 * `email` is prefixed with the issuer URL and `#` (so `sub` values of two providers cannot
 * collide); `-` turns the prefix off. With `email`, `email_verified` must not be false.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";

export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  usernameClaim?: string;
  usernamePrefix?: string;
  groupsClaim?: string;
  groupsPrefix?: string;
}

export interface OidcIdentity {
  name: string;
  groups: string[];
}

export type ClaimMapping = { ok: true; identity: OidcIdentity } | { ok: false; reason: string };

/** The person kube-apiserver would see for these (already verified) claims. */
export function mapOidcClaims(claims: JWTPayload, settings: OidcSettings): ClaimMapping {
  const usernameClaim = settings.usernameClaim ?? "sub";
  const value = claims[usernameClaim];
  if (typeof value !== "string" || value === "") return { ok: false, reason: `claim ${usernameClaim} is missing or not a string` };
  if (usernameClaim === "email" && claims.email_verified === false) return { ok: false, reason: "email not verified" };
  const prefix = settings.usernamePrefix === "-" ? "" : (settings.usernamePrefix ?? (usernameClaim === "email" ? "" : `${settings.issuerUrl}#`));
  const groups: string[] = [];
  if (settings.groupsClaim) {
    const raw = claims[settings.groupsClaim];
    if (typeof raw === "string") groups.push(raw);
    else if (Array.isArray(raw)) {
      for (const group of raw) {
        if (typeof group !== "string") return { ok: false, reason: `claim ${settings.groupsClaim} holds a value that is not a string` };
        groups.push(group);
      }
    } else if (raw !== undefined) return { ok: false, reason: `claim ${settings.groupsClaim} is neither a string nor a list of strings` };
  }
  return { ok: true, identity: { name: `${prefix}${value}`, groups: groups.map((group) => `${settings.groupsPrefix ?? ""}${group}`) } };
}

const discoverySchema = z.object({ issuer: z.string(), jwks_uri: z.string().url() });

/** Verifies ID tokens for one issuer; the JWKS is fetched (and refreshed on an unknown key) by jose. */
export class OidcVerifier {
  private jwks: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;

  constructor(readonly settings: OidcSettings) {}

  private keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    this.jwks ??= (async () => {
      const response = await fetch(`${this.settings.issuerUrl.replace(/\/$/, "")}/.well-known/openid-configuration`);
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      const metadata = discoverySchema.parse(await response.json());
      if (metadata.issuer !== this.settings.issuerUrl) throw new Error(`discovery names issuer ${metadata.issuer}, not ${this.settings.issuerUrl}`);
      return createRemoteJWKSet(new URL(metadata.jwks_uri));
    })();
    // A provider not up yet is asked again at the next token.
    this.jwks.catch(() => (this.jwks = undefined));
    return this.jwks;
  }

  /** The identity behind a token that looks like a JWT, or undefined (401) when it does not verify. */
  async verify(token: string): Promise<OidcIdentity | undefined> {
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return undefined;
    try {
      const { payload } = await jwtVerify(token, await this.keySet(), { issuer: this.settings.issuerUrl, audience: this.settings.clientId, algorithms: ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"] });
      const mapped = mapOidcClaims(payload, this.settings);
      return mapped.ok ? mapped.identity : undefined;
    } catch {
      return undefined;
    }
  }
}
