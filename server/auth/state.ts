/**
 * The process-wide rate limiters, kept on globalThis because Next.js loads this module in more than
 * one bundle (the proxy and each route) and all must see the same buckets. Sessions themselves are
 * not here: they live in the sealed cookie (server/auth/session.ts), so any replica serves them.
 * These limits are per replica (README, "Access and security").
 */
import { RateLimiter } from "./rateLimit";
import { SignInThrottle } from "./signInThrottle";

export interface AuthState {
  /** Changes per session (dry runs included): a burst of MUTATION_BURST, then one a second on average. */
  mutations: RateLimiter;
  /** Sign-in attempts per client under a ceiling for the process: guessing a token is hopeless, but each try costs an API call. */
  signIns: SignInThrottle;
}

/** Wizard previews and the editor's checks are dry-run changes too, so a person's burst can be long. */
export const MUTATION_BURST = 60;

const globalKey = Symbol.for("mesh-console.auth");
type GlobalWithAuth = typeof globalThis & { [globalKey]?: AuthState };

export function createAuthState(now: () => number = Date.now): AuthState {
  return {
    mutations: new RateLimiter({ burst: MUTATION_BURST, perSecond: 1, now }),
    signIns: new SignInThrottle(now),
  };
}

export function authState(): AuthState {
  const holder = globalThis as GlobalWithAuth;
  holder[globalKey] ??= createAuthState();
  return holder[globalKey];
}

/** For tests: a fresh state, so one test's buckets do not leak into the next. */
export function resetAuthState(state: AuthState = createAuthState()): AuthState {
  (globalThis as GlobalWithAuth)[globalKey] = state;
  return state;
}
