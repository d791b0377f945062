import { describe, expect, it } from "vitest";
import { ANONYMOUS_CONCURRENT_READS, ConcurrencyLimiter, READ_RETRY_AFTER_SECONDS, SESSION_CONCURRENT_READS, withinReadLimit, type ReadPrincipal } from "./readLimits";

const GRAPH = "/api/graph";

/** Reads that stay running until the test lets them finish. */
function heldReads(limiter: ConcurrencyLimiter, principal: ReadPrincipal, count: number, route = GRAPH) {
  const finish: (() => void)[] = [];
  const answers = Array.from({ length: count }, () =>
    withinReadLimit(limiter, route, principal, () => new Promise<Response>((resolve) => finish.push(() => resolve(new Response("ok"))))),
  );
  return { answers, finishAll: () => finish.forEach((done) => done()) };
}

const session = (id: string): ReadPrincipal => ({ kind: "session", id });

describe("ConcurrencyLimiter", () => {
  it("gives `limit` slots per key, frees one per release (once), and forgets a key with nothing running", () => {
    const limiter = new ConcurrencyLimiter();
    const releases = [limiter.tryAcquire("a", 2), limiter.tryAcquire("a", 2)];
    expect(releases.every(Boolean)).toBe(true);
    expect(limiter.tryAcquire("a", 2)).toBeUndefined();
    expect(limiter.tryAcquire("b", 2)).toBeDefined();
    releases[0]?.();
    releases[0]?.();
    expect(limiter.inFlight("a")).toBe(1);
    releases[1]?.();
    expect(limiter.inFlight("a")).toBe(0);
    expect(limiter.keys).toBe(1);
  });
});

describe("withinReadLimit", () => {
  it(`lets a session run ${SESSION_CONCURRENT_READS} expensive reads at once and answers the next 429 with Retry-After`, async () => {
    const limiter = new ConcurrencyLimiter();
    const held = heldReads(limiter, session("s1"), SESSION_CONCURRENT_READS);
    const refused = await withinReadLimit(limiter, "/api/signals", session("s1"), async () => new Response("ok"));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String(READ_RETRY_AFTER_SECONDS));
    const { error } = await refused.json();
    expect(error.reason).toBe("too-many-reads");
    expect(error.message).toContain(`You already have ${SESSION_CONCURRENT_READS} graph or chart requests running`);

    // Another person is not held up by this one.
    expect((await withinReadLimit(limiter, GRAPH, session("s2"), async () => new Response("ok"))).status).toBe(200);

    held.finishAll();
    expect((await Promise.all(held.answers)).map((answer) => answer.status)).toEqual(Array(SESSION_CONCURRENT_READS).fill(200));
    expect((await withinReadLimit(limiter, GRAPH, session("s1"), async () => new Response("ok"))).status).toBe(200);
    expect(limiter.keys).toBe(0);
  });

  it(`shares ${ANONYMOUS_CONCURRENT_READS} slots among everyone without sign-in`, async () => {
    const limiter = new ConcurrencyLimiter();
    const held = heldReads(limiter, { kind: "anonymous" }, ANONYMOUS_CONCURRENT_READS - 1);
    expect(limiter.inFlight("anonymous")).toBe(ANONYMOUS_CONCURRENT_READS - 1);
    const last = heldReads(limiter, { kind: "anonymous" }, 1);
    const refused = await withinReadLimit(limiter, GRAPH, { kind: "anonymous" }, async () => new Response("ok"));
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.message).toContain("without sign-in");
    held.finishAll();
    last.finishAll();
    await Promise.all([...held.answers, ...last.answers]);
  });

  it("frees the slot when the read fails, and does not count cheap reads", async () => {
    const limiter = new ConcurrencyLimiter();
    await expect(withinReadLimit(limiter, GRAPH, session("s1"), async () => Promise.reject(new Error("prometheus down")))).rejects.toThrow("prometheus down");
    expect(limiter.inFlight("session:s1")).toBe(0);
    const cheap = heldReads(limiter, session("s1"), SESSION_CONCURRENT_READS + 5, "/api/namespaces");
    expect(limiter.keys).toBe(0);
    cheap.finishAll();
    expect((await Promise.all(cheap.answers)).every((answer) => answer.status === 200)).toBe(true);
  });
});
