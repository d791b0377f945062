/**
 * Sign-in attempts are throttled per client, under a ceiling for the whole console. Each attempt
 * costs a call to the Kubernetes API, so there must be a ceiling; but a ceiling alone lets one
 * client spend it and lock everyone else out of signing in. So a client has a small budget of its
 * own, far below the ceiling, and is refused on it before it touches the shared one: to exhaust the
 * ceiling takes many clients at once.
 *
 * The client is the socket's peer as the console saw it (server/http/socketFacts.ts); behind a
 * proxy listed in MESH_CONSOLE_TRUSTED_PROXIES, the address that proxy reports in X-Forwarded-For.
 * A forwarded-for header from anyone else is ignored: it is whatever the client wants it to be.
 */
import type { BlockList } from "node:net";
import { clientAddress, throttleKey } from "@/server/http/addresses";
import { socketFactsOf } from "@/server/http/socketFacts";
import { RateLimiter, type RateDecision } from "./rateLimit";

/** A person mistyping a token a few times, then one try every 10 s. */
export const CLIENT_SIGN_IN_BURST = 10;
export const CLIENT_SIGN_INS_PER_SECOND = 0.1;
/** For the whole console: twenty times what one client may spend. */
export const CONSOLE_SIGN_IN_BURST = 100;
export const CONSOLE_SIGN_INS_PER_SECOND = 2;

export class SignInThrottle {
  private readonly perClient: RateLimiter;
  private readonly ceiling: RateLimiter;

  constructor(now: () => number = Date.now) {
    this.perClient = new RateLimiter({ burst: CLIENT_SIGN_IN_BURST, perSecond: CLIENT_SIGN_INS_PER_SECOND, now, maxKeys: 50_000 });
    this.ceiling = new RateLimiter({ burst: CONSOLE_SIGN_IN_BURST, perSecond: CONSOLE_SIGN_INS_PER_SECOND, now });
  }

  take(client: string): RateDecision & { scope?: "client" | "console" } {
    const own = this.perClient.take(client);
    if (!own.allowed) return { ...own, scope: "client" };
    const shared = this.ceiling.take("console");
    return shared.allowed ? shared : { ...shared, scope: "console" };
  }
}

/** Who is signing in, for the throttle: see the module comment. */
export function signInClient(request: Request, trustedProxies: BlockList): string {
  const socket = socketFactsOf(request.headers);
  // Unstamped (a server started without instrumentation): every such attempt shares one budget.
  if (!socket) return "unknown";
  return throttleKey(clientAddress(socket.peer, request.headers.get("x-forwarded-for"), trustedProxies));
}
