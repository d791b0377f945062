/**
 * Weight arithmetic for traffic shifting. Istio wants the weights of one route's destinations to
 * be integers that add up to 100 (https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRouteDestination),
 * so every operation here returns integers summing to exactly 100, with deterministic rounding:
 * the largest remainder wins, ties go to the subset listed first.
 */

export interface SubsetWeight {
  readonly subset: string;
  readonly weight: number;
}

/** The steps a canary moves through; "promote" goes to the next one. */
export const CANARY_STEPS = [0, 10, 25, 50, 100] as const;

export const TOTAL_WEIGHT = 100;

/**
 * Splits `total` into integers proportional to `shares` (largest-remainder method). All-zero shares
 * split evenly. Ties in the remainder go to the lower index so the same input always rounds the same way.
 */
export function apportion(total: number, shares: readonly number[]): number[] {
  if (shares.length === 0) return [];
  const positive = shares.map((share) => (share > 0 ? share : 0));
  const sum = positive.reduce((a, b) => a + b, 0);
  const basis = sum > 0 ? positive : positive.map(() => 1);
  const basisSum = sum > 0 ? sum : basis.length;
  const exact = basis.map((share) => (share * total) / basisSum);
  const floors = exact.map((value) => Math.floor(value + 1e-9));
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((value, index) => ({ index, remainder: value - floors[index]! })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    floors[index]! += 1;
    left -= 1;
  }
  return floors;
}

function lockedSum(weights: readonly SubsetWeight[], locked: ReadonlySet<string>, except?: string): number {
  return weights.filter((entry) => locked.has(entry.subset) && entry.subset !== except).reduce((a, entry) => a + entry.weight, 0);
}

/**
 * Moves one subset to `value` and gives the rest to the unlocked others in proportion to what they
 * had (evenly when they had nothing). Locked subsets keep their weight; the moved subset is held
 * within what the locks leave. With no unlocked other to take the difference, nothing moves.
 */
export function setWeight(weights: readonly SubsetWeight[], subset: string, value: number, locked: ReadonlySet<string> = new Set()): SubsetWeight[] {
  const target = weights.find((entry) => entry.subset === subset);
  if (!target) return [...weights];
  const others = weights.filter((entry) => entry.subset !== subset && !locked.has(entry.subset));
  if (others.length === 0) return [...weights];
  const available = TOTAL_WEIGHT - lockedSum(weights, locked, subset);
  const wanted = Math.min(available, Math.max(0, Math.round(Number.isFinite(value) ? value : 0)));
  const shares = apportion(available - wanted, others.map((entry) => entry.weight));
  const next = new Map(others.map((entry, index) => [entry.subset, shares[index]!]));
  next.set(subset, wanted);
  return weights.map((entry) => ({ subset: entry.subset, weight: next.get(entry.subset) ?? entry.weight }));
}

/** Splits what the locked subsets leave evenly among the unlocked ones. */
export function splitEvenly(weights: readonly SubsetWeight[], locked: ReadonlySet<string> = new Set()): SubsetWeight[] {
  const free = weights.filter((entry) => !locked.has(entry.subset));
  if (free.length === 0) return [...weights];
  const shares = apportion(TOTAL_WEIGHT - lockedSum(weights, locked), free.map(() => 1));
  const next = new Map(free.map((entry, index) => [entry.subset, shares[index]!]));
  return weights.map((entry) => ({ subset: entry.subset, weight: next.get(entry.subset) ?? entry.weight }));
}

/** All traffic to one subset: the state before a canary starts. */
export function allTo(subsets: readonly string[], subset: string): SubsetWeight[] {
  return subsets.map((name) => ({ subset: name, weight: name === subset ? TOTAL_WEIGHT : 0 }));
}

/** The canary step after `current`, or undefined when the canary already has everything. */
export function nextCanaryStep(current: number): number | undefined {
  return CANARY_STEPS.find((step) => step > current);
}

/** Moves the canary to its next step, taking the difference from the unlocked others. */
export function promote(weights: readonly SubsetWeight[], canary: string, locked: ReadonlySet<string> = new Set()): SubsetWeight[] {
  const current = weights.find((entry) => entry.subset === canary)?.weight ?? 0;
  const step = nextCanaryStep(current);
  if (step === undefined) return [...weights];
  return setWeight(weights, canary, step, locked);
}

/** The subset carrying the most traffic (the first listed on a tie): the version a canary is compared with. */
export function stableSubset(weights: readonly SubsetWeight[]): string | undefined {
  let best: SubsetWeight | undefined;
  for (const entry of weights) if (!best || entry.weight > best.weight) best = entry;
  return best?.subset;
}

/** Why a set of weights cannot be applied, or an empty list when it can. */
export function weightProblems(weights: Readonly<Record<string, number>>, knownSubsets: readonly string[]): string[] {
  const problems: string[] = [];
  const entries = Object.entries(weights);
  if (entries.length === 0) problems.push("weights: give at least one subset a weight");
  for (const [subset, weight] of entries) {
    if (!knownSubsets.includes(subset)) problems.push(`weights.${subset}: unknown subset; the service's versions are ${knownSubsets.join(", ") || "(none labelled)"}`);
    if (!Number.isInteger(weight) || weight < 0 || weight > TOTAL_WEIGHT) problems.push(`weights.${subset}: must be an integer from 0 to 100, got ${weight}`);
  }
  const sum = entries.reduce((a, [, weight]) => a + weight, 0);
  if (entries.length > 0 && sum !== TOTAL_WEIGHT) problems.push(`weights: must add up to 100, they add up to ${sum}`);
  return problems;
}

export function toRecord(weights: readonly SubsetWeight[]): Record<string, number> {
  return Object.fromEntries(weights.map((entry) => [entry.subset, entry.weight]));
}

export function fromRecord(subsets: readonly string[], record: Readonly<Record<string, number>>): SubsetWeight[] {
  return subsets.map((subset) => ({ subset, weight: record[subset] ?? 0 }));
}
