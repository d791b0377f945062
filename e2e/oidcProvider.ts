/**
 * A real OpenID Connect provider for the tests, on loopback: the `oidc-provider` package (a
 * certified implementation) with the tests' own people and groups, a sign-in form and a consent
 * form of its own, PKCE required, refresh tokens with offline_access, RP-initiated logout.
 * Started and stopped by the tests; nothing in the console knows it is a test provider.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

export interface TestPerson {
  /** The login name typed into the form; also `sub` and `preferred_username`. */
  login: string;
  password: string;
  email: string;
  groups: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Ends every refresh token issued to this person (as an administrator revoking their sessions would). */
  revokeRefreshTokens(login: string): Promise<number>;
  stop(): Promise<void>;
}

export interface TestProviderOptions {
  people: readonly TestPerson[];
  /** The console callbacks (…/api/auth/openid/callback) the client may be sent back to. */
  redirectUris: readonly string[];
  /** Where the provider may send the browser after sign-out (…/login). */
  postLogoutRedirectUris: readonly string[];
  /** ID token lifetime in seconds (default 300). */
  idTokenTtlSeconds?: number;
  port?: number;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function startTestProvider(options: TestProviderOptions): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "mesh-console";
  const clientSecret = randomBytes(24).toString("base64url");
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "test-signing-key", alg: "RS256", use: "sig" };
  const people = new Map(options.people.map((person) => [person.login, person]));
  const refreshTokens = new Map<string, Set<string>>();

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [...options.redirectUris],
        post_logout_redirect_uris: [...options.postLogoutRedirectUris],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    scopes: ["openid", "offline_access", "email", "profile", "groups"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["preferred_username", "name"], groups: ["groups"] },
    // Put the requested claims in the ID token itself: Kubernetes reads only the ID token.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: { IdToken: options.idTokenTtlSeconds ?? 300, AccessToken: options.idTokenTtlSeconds ?? 300, RefreshToken: 8 * 3600, Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600 },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // The provider's own confirmation page, without the default page's web fonts from the internet.
        logoutSource: async (ctx: { body: string }, form: string) => {
          ctx.body = page("Sign out of the test identity provider", `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button><button type="submit" form="op.logoutForm">No, stay signed in</button>`);
        },
        postLogoutSuccessSource: async (ctx: { body: string }) => {
          ctx.body = page("Signed out", "<p>You are signed out of the test identity provider.</p>");
        },
      },
    },
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }, code: { scopes: Set<string> }) => client.grantTypeAllowed("refresh_token") && code.scopes.has("offline_access"),
    rotateRefreshToken: false,
    findAccount: async (_ctx: unknown, sub: string) => {
      const person = people.get(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email: person.email, email_verified: true, preferred_username: person.login, name: person.login, groups: person.groups }) };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    renderError: async (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = "html";
      ctx.body = page("Sign-in error", `<p role="alert">${escapeHtml(out.error ?? "error")}: ${escapeHtml(out.error_description ?? "")}</p>`);
    },
  });
  provider.on("refresh_token.saved", (token) => {
    const saved = token as { accountId?: string; jti?: string };
    if (saved.accountId && saved.jti) (refreshTokens.get(saved.accountId) ?? refreshTokens.set(saved.accountId, new Set()).get(saved.accountId))?.add(saved.jti);
  });
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error("interaction mismatch");
    if (req.method === "GET" && details.prompt.name === "login") {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(
        page(
          "Sign in to the test identity provider",
          `<form method="post" action="/interaction/${uid}/login"><label for="login">Username</label><input id="login" name="login" autocomplete="username" required><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required><button type="submit">Continue</button></form>`,
        ),
      );
      return;
    }
    if (req.method === "GET" && details.prompt.name === "consent") {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(page("Allow access", `<p>mesh-console asks for: ${escapeHtml(String(details.params.scope ?? ""))}</p><form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>`));
      return;
    }
    if (req.method === "POST" && action === "login") {
      const form = await formBody(req);
      const person = people.get(form.get("login") ?? "");
      if (!person || person.password !== form.get("password")) {
        res.setHeader("content-type", "text/html; charset=utf-8");
        res.statusCode = 401;
        res.end(page("Sign in to the test identity provider", `<p role="alert">Wrong username or password</p><a href="/interaction/${uid}">Try again</a>`));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: person.login } }, { mergeWithLastSubmission: false });
      return;
    }
    if (req.method === "POST" && action === "confirm") {
      const accountId = details.session?.accountId;
      const clientIdOf = String(details.params.client_id ?? "");
      if (!accountId) throw new Error("consent without a signed-in person");
      const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId: clientIdOf });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(" "));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    res.statusCode = 405;
    res.end();
  }

  server.on("request", (req, res) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm))?$/.exec(new URL(req.url ?? "/", issuer).pathname);
    if (!match) return callback(req, res);
    interaction(req, res, match[1] ?? "", match[2]).catch((error: unknown) => {
      res.statusCode = 400;
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.end(error instanceof Error ? error.message : String(error));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    async revokeRefreshTokens(login) {
      let ended = 0;
      for (const jti of refreshTokens.get(login) ?? []) {
        const token = await provider.RefreshToken.find(jti);
        if (token) {
          await token.destroy();
          ended += 1;
        }
      }
      refreshTokens.delete(login);
      return ended;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
