/**
 * Seeded randomness for the simulator. Traffic is computed in aggregate, so what we need is
 * not single coin flips but counts: how many of n requests fail, how n requests split over
 * weighted routes. Binomial and multinomial draws give those counts in O(1)–O(k) per edge.
 */

import { mulberry32 } from "@/lib/random";

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
  /** Number of successes in n trials with probability p. */
  binomial(n: number, p: number): number;
  /** Poisson count with the given mean. */
  poisson(mean: number): number;
  /** Splits n over the given weights (need not sum to 1); returns one count per weight. */
  multinomial(n: number, weights: readonly number[]): number[];
}

/** Below this many trials a draw is exact (inversion); above it a normal approximation is used. */
const EXACT_LIMIT = 40;

export function createRandom(seed: number): Random {
  const uniform = mulberry32(seed);
  let spareNormal: number | undefined;

  const normal = (): number => {
    if (spareNormal !== undefined) {
      const value = spareNormal;
      spareNormal = undefined;
      return value;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };

  const binomial = (n: number, p: number): number => {
    const trials = Math.max(0, Math.floor(n));
    if (trials === 0 || p <= 0) return 0;
    if (p >= 1) return trials;
    if (trials <= EXACT_LIMIT) {
      let successes = 0;
      for (let i = 0; i < trials; i++) if (uniform() < p) successes++;
      return successes;
    }
    const mean = trials * p;
    const variance = mean * (1 - p);
    if (variance < 9) {
      // Skewed regime (rare events on a big edge): Poisson is the better approximation.
      return Math.min(trials, poisson(mean));
    }
    const draw = Math.round(mean + Math.sqrt(variance) * normal());
    return Math.min(trials, Math.max(0, draw));
  };

  const poisson = (mean: number): number => {
    if (mean <= 0) return 0;
    if (mean < 30) {
      const limit = Math.exp(-mean);
      let count = 0;
      let product = uniform();
      while (product > limit) {
        count++;
        product *= uniform();
      }
      return count;
    }
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
  };

  const multinomial = (n: number, weights: readonly number[]): number[] => {
    const counts = new Array<number>(weights.length).fill(0);
    let remaining = Math.max(0, Math.floor(n));
    let remainingWeight = 0;
    let lastPositive = -1;
    weights.forEach((weight, index) => {
      if (weight > 0) {
        remainingWeight += weight;
        lastPositive = index;
      }
    });
    for (let i = 0; i <= lastPositive && remaining > 0; i++) {
      const weight = Math.max(0, weights[i] ?? 0);
      if (weight === 0) continue;
      const drawn = i === lastPositive ? remaining : binomial(remaining, weight / remainingWeight);
      counts[i] = drawn;
      remaining -= drawn;
      remainingWeight -= weight;
    }
    return counts;
  };

  return { next: uniform, normal, binomial, poisson, multinomial };
}

/** Rounds x up or down at random so that the expectation stays x (call rates like 1.5 per request). */
export function stochasticRound(random: Random, x: number): number {
  const floor = Math.floor(x);
  return floor + (random.next() < x - floor ? 1 : 0);
}
