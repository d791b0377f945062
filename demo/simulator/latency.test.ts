import { describe, expect, it } from "vitest";
import { DURATION_BUCKETS_MS } from "./istio-labels";
import { bucketIndex, logNormalCdf, logNormalFromQuantiles, sampleIntoBuckets } from "./latency";
import { createRandom } from "./random";

describe("log-normal latency", () => {
  const dist = logNormalFromQuantiles(20, 200);

  it("has the stated median and 99th percentile", () => {
    expect(logNormalCdf(dist, 20)).toBeCloseTo(0.5, 3);
    expect(logNormalCdf(dist, 200)).toBeCloseTo(0.99, 3);
  });

  it("puts every request in a bucket and keeps the sum consistent with the mean", () => {
    const sample = sampleIntoBuckets(createRandom(1), dist, DURATION_BUCKETS_MS, 100_000);
    expect(sample.counts.reduce((a, b) => a + b, 0)).toBe(100_000);
    const mean = Math.exp(dist.mu + dist.sigma ** 2 / 2);
    expect(sample.sum / 100_000).toBeGreaterThan(mean * 0.95);
    expect(sample.sum / 100_000).toBeLessThan(mean * 1.05);
    // About half the requests are at or under the 25 ms bucket (median 20 ms).
    const upTo25 = sample.counts.slice(0, bucketIndex(DURATION_BUCKETS_MS, 25) + 1).reduce((a, b) => a + b, 0);
    expect(upTo25 / 100_000).toBeGreaterThan(0.5);
    expect(upTo25 / 100_000).toBeLessThan(0.65);
  });

  it("keeps requests under a timeout limit and shifts them by an injected delay", () => {
    const sample = sampleIntoBuckets(createRandom(2), dist, DURATION_BUCKETS_MS, 10_000, { limit: 50, shift: 2000 });
    expect(sample.counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    // Shifted by 2 s and capped at 50 ms of own time: everything lands in the (1000, 2500] bucket.
    expect(sample.counts[bucketIndex(DURATION_BUCKETS_MS, 2050)]).toBe(10_000);
    expect(sample.sum / 10_000).toBeGreaterThan(2000);
    expect(sample.sum / 10_000).toBeLessThan(2050);
  });

  it("refuses a p99 below the median, naming both", () => {
    expect(() => logNormalFromQuantiles(50, 10)).toThrow(/median \(50\).*p99 \(10\)/);
  });
});

describe("seeded counts", () => {
  it("splits n exactly over weights and never into a zero weight", () => {
    const random = createRandom(3);
    for (const n of [0, 7, 39, 41, 1000, 123_456]) {
      const counts = random.multinomial(n, [0.5, 0, 0.3, 0.2, 0]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
      expect(counts[1]).toBe(0);
      expect(counts[4]).toBe(0);
    }
  });

  it("draws binomial counts around n·p, small and large", () => {
    const random = createRandom(4);
    let small = 0;
    for (let i = 0; i < 2000; i++) small += random.binomial(10, 0.3);
    expect(small / 2000).toBeCloseTo(3, 0);
    const large = random.binomial(1_000_000, 0.2);
    expect(Math.abs(large - 200_000)).toBeLessThan(5 * Math.sqrt(1_000_000 * 0.2 * 0.8));
  });

  it("repeats itself for the same seed", () => {
    const a = createRandom(9);
    const b = createRandom(9);
    expect([a.poisson(5), a.binomial(100, 0.5), a.next()]).toEqual([b.poisson(5), b.binomial(100, 0.5), b.next()]);
  });
});
