/**
 * What a session cookie carries, and the decisions over it (pure: the clock is an argument).
 * A session is the bearer token Kubernetes sees (token mode: the pasted token; openid mode: the
 * person's ID token) and, in openid mode, the refresh token that renews it. Nothing is kept in
 * the console's memory that another replica would need.
 *
 * Idle and absolute limits as before (OWASP session guidance): the cookie carries when the session
 * began and when it was last used; `seenAt` is renewed at most once a minute (a new cookie), so the
 * idle limit holds to within that minute without a new cookie on every answer.
 * https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#session-expiration
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";

export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 8 * 60 * 60_000;
/** `seenAt` is written again once it is this old. */
export const SEEN_RENEWAL_MS = 60_000;
/** An ID token is renewed when it has less than this left, so no request carries one about to lapse. */
export const REFRESH_MARGIN_MS = 60_000;

export const sessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const sessionClaimsSchema = z.object({
  v: z.literal(1),
  /** Random id: names the session in the revocation record and in per-session limits. */
  sid: sessionIdSchema,
  mode: z.enum(["token", "openid"]),
  createdAt: z.number().int().nonnegative(),
  seenAt: z.number().int().nonnegative(),
  /** The bearer token sent to Kubernetes. */
  token: z.string().min(1),
  /** openid: renews `token`. */
  refreshToken: z.string().min(1).optional(),
  /** openid: when `token` (the ID token) expires, ms since the epoch. */
  tokenExpiresAt: z.number().int().nonnegative().optional(),
  /** openid: the ID token's `id_token_hint` use at sign-out needs no more; the user name is shown. */
  user: z.string().max(256).optional(),
});

export type SessionClaims = z.infer<typeof sessionClaimsSchema>;

/** 32 random bytes: not guessable, unrelated to the token. */
export function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}

export function parseSessionClaims(value: unknown): SessionClaims | undefined {
  const parsed = sessionClaimsSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** When the session ends at the latest, whatever the activity. */
export function sessionEndsAt(claims: SessionClaims): number {
  return claims.createdAt + ABSOLUTE_TIMEOUT_MS;
}

export function sessionExpired(claims: SessionClaims, now: number): boolean {
  return now - claims.seenAt >= IDLE_TIMEOUT_MS || now >= sessionEndsAt(claims) || claims.seenAt > now + SEEN_RENEWAL_MS;
}

/**
 * What to do with the token before using it: `use` it, `refresh` it first (openid, close to its
 * expiry, with a refresh token), or `reauthenticate` (expired with no way to renew it).
 */
export type TokenDecision = "use" | "refresh" | "reauthenticate";

export function tokenDecision(claims: SessionClaims, now: number): TokenDecision {
  if (claims.tokenExpiresAt === undefined) return "use";
  if (claims.tokenExpiresAt - now > REFRESH_MARGIN_MS) return "use";
  if (claims.refreshToken) return "refresh";
  return claims.tokenExpiresAt > now ? "use" : "reauthenticate";
}

/** Whether the cookie should be written again to move `seenAt` (see the module comment). */
export function needsSeenRenewal(claims: SessionClaims, now: number): boolean {
  return now - claims.seenAt >= SEEN_RENEWAL_MS;
}
