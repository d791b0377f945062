/**
 * How many expensive reads one person may have running at once. A graph build or a chart's range
 * queries cost Prometheus (and the console's memory) far more than listing objects from the watch
 * caches, and a script holding a session could otherwise start them as fast as it can send.
 * Past the limit the answer is 429 with Retry-After, as for the change budget
 * (https://www.rfc-editor.org/rfc/rfc6585#section-4).
 *
 * Who "one person" is:
 *   - with token sign-in, the session: SESSION_CONCURRENT_READS. A browser on HTTP/1.1 opens at
 *     most six connections to a host across all its tabs, so one person browsing never reaches it;
 *     over HTTP/2 several busy tabs may, briefly, and the page's one retry then succeeds.
 *   - without sign-in (anonymous), the console as a whole: ANONYMOUS_CONCURRENT_READS. Anonymous
 *     requests carry nothing that tells people apart that a client cannot forge (the address seen
 *     behind an ingress is the ingress's, and X-Forwarded-For is whatever the client wrote), so the
 *     limit protects Prometheus and the console, not one viewer from another. It is set above the
 *     fifty simultaneous graph viewers bench/scale.bench.ts measures.
 */
import { tooManyRequests } from "./errors";

/** Routes whose answer runs Prometheus queries or builds the graph, by their apiRoute name. */
export const EXPENSIVE_READ_ROUTES: ReadonlySet<string> = new Set([
  "/api/graph",
  "/api/graph/node-metrics",
  "/api/signals",
  "/api/peers",
  "/api/traffic",
  "/api/namespace-traffic",
  "/api/control-plane",
  "/api/namespaces/[namespace]/services/[service]/canary-analysis",
  "/api/security/mtls",
  "/api/security/authorization",
]);

export const SESSION_CONCURRENT_READS = 8;
export const ANONYMOUS_CONCURRENT_READS = 64;
/** A read takes a second or two; by then one of the running ones has usually finished. */
export const READ_RETRY_AFTER_SECONDS = 2;

export type ReadPrincipal = { kind: "session"; id: string } | { kind: "anonymous" };

/** Counts reads running per key; a key with none running takes no memory, so keys cannot pile up. */
export class ConcurrencyLimiter {
  private readonly running = new Map<string, number>();

  /** A release function when a slot was free (call it once, when the work is done), else undefined. */
  tryAcquire(key: string, limit: number): (() => void) | undefined {
    const count = this.running.get(key) ?? 0;
    if (count >= limit) return undefined;
    this.running.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(key) ?? 1) - 1;
      if (left > 0) this.running.set(key, left);
      else this.running.delete(key);
    };
  }

  inFlight(key: string): number {
    return this.running.get(key) ?? 0;
  }

  /** Keys with something running: what the limiter holds in memory. */
  get keys(): number {
    return this.running.size;
  }
}

function describeLimit(principal: ReadPrincipal): { key: string; limit: number; refusal: string } {
  if (principal.kind === "session") {
    return {
      key: `session:${principal.id}`,
      limit: SESSION_CONCURRENT_READS,
      refusal: `You already have ${SESSION_CONCURRENT_READS} graph or chart requests running, the most one session may; try again in ${READ_RETRY_AFTER_SECONDS} s (closing console tabs you are not using helps)`,
    };
  }
  return {
    key: "anonymous",
    limit: ANONYMOUS_CONCURRENT_READS,
    refusal: `The console is already answering ${ANONYMOUS_CONCURRENT_READS} graph or chart requests, the most it runs at once without sign-in; try again in ${READ_RETRY_AFTER_SECONDS} s`,
  };
}

/**
 * Runs `handle` if the route is cheap or the principal has a free slot, and answers 429 otherwise.
 * The slot is held until `handle` settles: by then the queries are answered and the body is built
 * (a streamed body only copies bytes already held).
 */
export async function withinReadLimit(limiter: ConcurrencyLimiter, route: string, principal: ReadPrincipal, handle: () => Promise<Response>): Promise<Response> {
  if (!EXPENSIVE_READ_ROUTES.has(route)) return handle();
  const { key, limit, refusal } = describeLimit(principal);
  const release = limiter.tryAcquire(key, limit);
  if (!release) return tooManyRequests(refusal, READ_RETRY_AFTER_SECONDS, "too-many-reads");
  try {
    return await handle();
  } finally {
    release();
  }
}

const globalKey = Symbol.for("mesh-console.read-limits");
type GlobalWithLimiter = typeof globalThis & { [globalKey]?: ConcurrencyLimiter };

/** The process-wide limiter, on globalThis because Next.js loads this module in more than one bundle. */
export function readLimiter(): ConcurrencyLimiter {
  const holder = globalThis as GlobalWithLimiter;
  holder[globalKey] ??= new ConcurrencyLimiter();
  return holder[globalKey];
}

/** For tests: a fresh limiter, so one test's running reads do not leak into the next. */
export function resetReadLimiter(): ConcurrencyLimiter {
  const limiter = new ConcurrencyLimiter();
  (globalThis as GlobalWithLimiter)[globalKey] = limiter;
  return limiter;
}
