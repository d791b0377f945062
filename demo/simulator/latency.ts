/**
 * Response-time and size distributions, sampled straight into histogram buckets. For n requests
 * we draw how many fall in each bucket (multinomial over the distribution's mass per bucket) and
 * their sum from the partial expectation per bucket — no per-request work.
 */
import type { Random } from "./random";

/** Log-normal described by its median and 99th percentile, the way people state latency. */
export interface LogNormal {
  mu: number;
  sigma: number;
}

const Z_99 = 2.3263478740408408;

export function logNormalFromQuantiles(median: number, p99: number): LogNormal {
  if (!(median > 0) || !(p99 >= median)) {
    throw new Error(`latency: expected 0 < median (${median}) <= p99 (${p99})`);
  }
  return { mu: Math.log(median), sigma: Math.max(1e-3, Math.log(p99 / median) / Z_99) };
}

/** Abramowitz–Stegun 7.1.26; |error| < 1.5e-7, plenty for bucket shares. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y =
    1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-ax * ax);
  return sign * y;
}

function standardNormalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

export function logNormalCdf(dist: LogNormal, x: number): number {
  if (x <= 0) return 0;
  if (!Number.isFinite(x)) return 1;
  return standardNormalCdf((Math.log(x) - dist.mu) / dist.sigma);
}

/** E[X; X <= x] for a log-normal X. */
function partialExpectation(dist: LogNormal, x: number): number {
  if (x <= 0) return 0;
  const mean = Math.exp(dist.mu + (dist.sigma * dist.sigma) / 2);
  if (!Number.isFinite(x)) return mean;
  return mean * standardNormalCdf((Math.log(x) - dist.mu - dist.sigma * dist.sigma) / dist.sigma);
}

export interface BucketSample {
  /** Non-cumulative counts per bucket; the last entry is the +Inf bucket. */
  counts: number[];
  sum: number;
}

export interface SampleOptions {
  /** Added to every value (e.g. an injected fault delay). */
  shift?: number;
  /** Values are drawn from the distribution conditioned on X <= limit (requests cut by a timeout are counted apart). */
  limit?: number;
}

/** Index of the first bucket whose upper bound is >= value (Prometheus `le` semantics). */
export function bucketIndex(bounds: readonly number[], value: number): number {
  for (let i = 0; i < bounds.length; i++) if (value <= (bounds[i] ?? Infinity)) return i;
  return bounds.length;
}

/** Distributes n draws of (X | X <= limit) + shift over the bucket bounds. */
export function sampleIntoBuckets(
  random: Random,
  dist: LogNormal,
  bounds: readonly number[],
  n: number,
  options: SampleOptions = {},
): BucketSample {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  if (n <= 0) return { counts, sum: 0 };
  const shift = options.shift ?? 0;
  const limit = options.limit ?? Infinity;
  const total = logNormalCdf(dist, limit);
  if (total <= 0) {
    // Everything is beyond the limit: the caller counts those as cut; nothing to spread.
    return { counts, sum: 0 };
  }
  const shares = new Array<number>(bounds.length + 1);
  const expectations = new Array<number>(bounds.length + 1);
  let previousCdf = 0;
  let previousPartial = 0;
  for (let i = 0; i <= bounds.length; i++) {
    const upper = Math.min(limit, i < bounds.length ? (bounds[i] ?? Infinity) - shift : Infinity);
    const cdf = upper <= 0 ? 0 : logNormalCdf(dist, upper);
    const partial = upper <= 0 ? 0 : partialExpectation(dist, upper);
    shares[i] = Math.max(0, cdf - previousCdf) / total;
    expectations[i] = Math.max(0, partial - previousPartial);
    if (cdf > previousCdf) {
      previousCdf = cdf;
      previousPartial = partial;
    }
  }
  const drawn = random.multinomial(n, shares);
  let sum = 0;
  for (let i = 0; i < drawn.length; i++) {
    const count = drawn[i] ?? 0;
    counts[i] = count;
    const mass = (shares[i] ?? 0) * total;
    if (count > 0 && mass > 0) sum += count * ((expectations[i] ?? 0) / mass + shift);
  }
  return { counts, sum };
}
