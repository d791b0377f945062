/**
 * ID tokens verified as kube-apiserver's --oidc-* flags do, against a JWKS served on loopback by
 * the test, with tokens signed by the test's own keys.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Authenticator } from "./auth";
import { grantsResolver } from "./impersonation";
import { mapOidcClaims, OidcVerifier } from "./oidc";

const ISSUER_PATH = "";
let server: Server;
let issuer: string;
let sign: (claims: JWTPayload, options?: { expiresIn?: string; notBefore?: string; issuer?: string; audience?: string }) => Promise<string>;
let foreignSign: (claims: JWTPayload) => Promise<string>;

beforeAll(async () => {
  const keys = await generateKeyPair("RS256");
  const foreign = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration") res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    else if (req.url === "/jwks") res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ISSUER_PATH}`;
  sign = (claims, options = {}) => {
    let jwt = new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuedAt().setIssuer(options.issuer ?? issuer).setAudience(options.audience ?? "mesh-console").setExpirationTime(options.expiresIn ?? "5m");
    if (options.notBefore) jwt = jwt.setNotBefore(options.notBefore);
    return jwt.sign(keys.privateKey);
  };
  foreignSign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuedAt().setIssuer(issuer).setAudience("mesh-console").setExpirationTime("5m").sign(foreign.privateKey);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("claim mapping (kube-apiserver's --oidc-username-* and --oidc-groups-*)", () => {
  const settings = { issuerUrl: "https://idp.example", clientId: "c" };

  it("prefixes a non-email username claim with the issuer and # by default, and nothing with -", () => {
    expect(mapOidcClaims({ sub: "alice" }, settings)).toEqual({ ok: true, identity: { name: "https://idp.example#alice", groups: [] } });
    expect(mapOidcClaims({ sub: "alice" }, { ...settings, usernamePrefix: "-" })).toEqual({ ok: true, identity: { name: "alice", groups: [] } });
    expect(mapOidcClaims({ preferred_username: "alice" }, { ...settings, usernameClaim: "preferred_username", usernamePrefix: "oidc:" })).toMatchObject({ identity: { name: "oidc:alice" } });
  });

  it("takes email as it is, unless the provider says it is not verified", () => {
    expect(mapOidcClaims({ email: "a@x.io", email_verified: true }, { ...settings, usernameClaim: "email" })).toMatchObject({ identity: { name: "a@x.io" } });
    expect(mapOidcClaims({ email: "a@x.io", email_verified: false }, { ...settings, usernameClaim: "email" })).toEqual({ ok: false, reason: "email not verified" });
  });

  it("reads groups from a list or a single string, with the groups prefix", () => {
    expect(mapOidcClaims({ sub: "a", groups: ["team-a", "team-b"] }, { ...settings, usernamePrefix: "-", groupsClaim: "groups", groupsPrefix: "oidc:" })).toMatchObject({ identity: { groups: ["oidc:team-a", "oidc:team-b"] } });
    expect(mapOidcClaims({ sub: "a", groups: "team-a" }, { ...settings, groupsClaim: "groups" })).toMatchObject({ identity: { groups: ["team-a"] } });
    expect(mapOidcClaims({ sub: "a", groups: [1] }, { ...settings, groupsClaim: "groups" }).ok).toBe(false);
  });

  it("refuses a token without the username claim", () => {
    expect(mapOidcClaims({ email: "a@x.io" }, settings).ok).toBe(false);
  });
});

describe("ID token verification", () => {
  const verifier = () => new OidcVerifier({ issuerUrl: issuer, clientId: "mesh-console", usernamePrefix: "-", groupsClaim: "groups" });

  it("accepts a token signed by the issuer's key for the client id", async () => {
    expect(await verifier().verify(await sign({ sub: "alice", groups: ["team-a"] }))).toEqual({ name: "alice", groups: ["team-a"] });
  });

  it("refuses another audience, another issuer, another key, an expired token and one not valid yet", async () => {
    const v = verifier();
    expect(await v.verify(await sign({ sub: "a" }, { audience: "someone-else" }))).toBeUndefined();
    expect(await v.verify(await sign({ sub: "a" }, { issuer: "https://evil.example" }))).toBeUndefined();
    expect(await v.verify(await foreignSign({ sub: "a" }))).toBeUndefined();
    expect(await v.verify(await sign({ sub: "a" }, { expiresIn: "-1m" }))).toBeUndefined();
    expect(await v.verify(await sign({ sub: "a" }, { notBefore: "10m" }))).toBeUndefined();
    expect(await v.verify("not-a-jwt")).toBeUndefined();
  });

  it("authorizes the person by user name and by group (RBAC subjects), and nothing for a person no grant names", async () => {
    const users = [{ name: "admin", token: "static-admin-token", role: "admin" as const }];
    const groups = [{ group: "team-a", role: "viewer" as const, namespaces: ["bookinfo"] }];
    const auth = new Authenticator(users, { verifier: verifier(), resolve: grantsResolver(users, groups) });
    const member = await auth.authenticateRequest(`Bearer ${await sign({ sub: "alice", groups: ["team-a"] })}`);
    expect(member).toMatchObject({ name: "alice", role: "viewer", namespaces: ["bookinfo"], groups: ["team-a"] });
    const stranger = await auth.authenticateRequest(`Bearer ${await sign({ sub: "bob", groups: ["team-z"] })}`);
    expect(stranger).toMatchObject({ name: "bob", namespaces: [] });
    expect(await auth.authenticateRequest("Bearer static-admin-token")).toMatchObject({ name: "admin", role: "admin" });
    expect(await auth.authenticateRequest(`Bearer ${await foreignSign({ sub: "alice" })}`)).toBeUndefined();
  });
});
