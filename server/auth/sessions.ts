/**
 * Server-side sessions for token sign-in. The browser holds only a random session id in an
 * HttpOnly cookie; the Kubernetes token stays in this process's memory and is never sent back.
 * A session ends after IDLE_TIMEOUT_MS without a request, or ABSOLUTE_TIMEOUT_MS after sign-in
 * whatever the activity, so a stolen cookie is useful for a bounded time (OWASP session guidance:
 * https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#session-expiration).
 * Sessions do not survive a restart and are not shared between replicas: run one replica, or put
 * sticky sessions in front, when token sign-in is on.
 */
import { randomBytes } from "node:crypto";

export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 8 * 60 * 60_000;
/** Bounds memory if someone signs in in a loop; the oldest sessions go first. */
export const MAX_SESSIONS = 10_000;

export interface Session<Extra> {
  readonly id: string;
  readonly createdAt: number;
  lastSeenAt: number;
  /** Whatever the caller keeps per session (the token, clients built for it, a rate limiter). */
  readonly extra: Extra;
}

export interface SessionStoreOptions {
  now?: () => number;
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
  maxSessions?: number;
}

/** 32 random bytes: not guessable, and unrelated to the token. */
export function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export class SessionStore<Extra> {
  private readonly sessions = new Map<string, Session<Extra>>();
  private readonly now: () => number;
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;
  private readonly maxSessions: number;

  constructor(options: SessionStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    this.absoluteTimeoutMs = options.absoluteTimeoutMs ?? ABSOLUTE_TIMEOUT_MS;
    this.maxSessions = options.maxSessions ?? MAX_SESSIONS;
  }

  create(extra: Extra): Session<Extra> {
    this.sweep();
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (oldest.done) break;
      this.sessions.delete(oldest.value);
    }
    const at = this.now();
    const session: Session<Extra> = { id: newSessionId(), createdAt: at, lastSeenAt: at, extra };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, marking it used; expired ones are removed and not returned. */
  touch(id: string | undefined): Session<Extra> | undefined {
    if (!id || !SESSION_ID.test(id)) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const at = this.now();
    if (this.expired(session, at)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = at;
    return session;
  }

  /** Looks without extending the idle time (for the page proxy's redirect decision). */
  peek(id: string | undefined): Session<Extra> | undefined {
    if (!id || !SESSION_ID.test(id)) return undefined;
    const session = this.sessions.get(id);
    return session && !this.expired(session, this.now()) ? session : undefined;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: Session<Extra>, at: number): boolean {
    return at - session.lastSeenAt >= this.idleTimeoutMs || at - session.createdAt >= this.absoluteTimeoutMs;
  }

  private sweep(): void {
    const at = this.now();
    for (const [id, session] of this.sessions) if (this.expired(session, at)) this.sessions.delete(id);
  }
}
