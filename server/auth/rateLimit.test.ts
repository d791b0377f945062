import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rateLimit";

describe("RateLimiter", () => {
  it("lets a burst through, then refuses with a Retry-After until tokens refill (change flooding)", () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perSecond: 0.5, now: () => now });
    expect([1, 2, 3].map(() => limiter.take("s").allowed)).toEqual([true, true, true]);
    const refused = limiter.take("s");
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now += 2_000;
    expect(limiter.take("s").allowed).toBe(true);
    expect(limiter.take("s").allowed).toBe(false);
  });

  it("keeps one session's budget apart from another's", () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 1, now: () => 0 });
    expect(limiter.take("a").allowed).toBe(true);
    expect(limiter.take("a").allowed).toBe(false);
    expect(limiter.take("b").allowed).toBe(true);
  });

  it("stays bounded when flooded with new keys", () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 1, now: () => 0, maxKeys: 10 });
    for (let i = 0; i < 100; i++) limiter.take(`k${i}`);
    expect(limiter.take("k99").allowed).toBe(false);
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(10);
  });
});
