/**
 * A rollout plan: how the console moves a service's traffic from its stable version to a canary in
 * steps, and which evidence each step needs before the next. The plan is what a release manager
 * fills in; it is stored next to the route (server/rollouts) and read back on every tick, so every
 * field is checked here with a reason a person can act on.
 */
import { z } from "zod";

/** Weights are whole percentages, as the wizards write them. */
const weight = z.number().int("a weight is a whole percentage").min(1, "a step sends at least 1 % to the canary").max(100, "a step sends at most 100 % to the canary");

const seconds = (what: string, min: number, max: number) =>
  z
    .number()
    .int(`${what} is a whole number of seconds`)
    .min(min, `${what} is at least ${min} s`)
    .max(max, `${what} is at most ${max} s`);

export const rolloutGatesSchema = z
  .object({
    /** Share of the canary's requests that must succeed (the one definition of a failed request), 0..1. */
    minSuccessRate: z.number().min(0.5, "a success-rate gate below 50 % would pass almost anything").max(1, "a success rate is at most 100 %"),
    /** Absolute latency limits on the canary, in milliseconds; null leaves that gate out. */
    maxP95Ms: z.number().positive("a latency limit is above 0 ms").nullable(),
    maxP99Ms: z.number().positive("a latency limit is above 0 ms").nullable(),
    /**
     * Relative limit: the canary's p95 may exceed the stable version's by at most this share
     * (0.2 = 20 %); null leaves it out.
     */
    maxP95IncreaseOverStable: z.number().min(0, "an increase over stable is 0 or more").max(10, "an increase over stable above 1000 % is no gate").nullable(),
    /** Requests the canary must have answered in the step before a check counts, so a quiet canary is never promoted on no evidence. */
    minRequestsPerCheck: z.number().int("a request count is whole").min(1, "a check needs at least one request").max(1_000_000, "a check needs at most 1,000,000 requests"),
  })
  .strict();
export type RolloutGates = z.infer<typeof rolloutGatesSchema>;

export const rolloutPlanSchema = z
  .object({
    /** Canary weights in order; the last is 100 (promotion). */
    steps: z
      .array(weight)
      .min(1, "a plan has at least one step")
      .max(20, "a plan has at most 20 steps")
      .refine((steps) => steps.every((step, index) => index === 0 || step > (steps[index - 1] ?? 0)), "each step sends more to the canary than the one before")
      .refine((steps) => steps[steps.length - 1] === 100, "the last step sends 100 % to the canary: that is the promotion"),
    /** How long each step must be held (with passing checks) before the next. */
    stepSeconds: seconds("the wait per step", 10, 24 * 3600),
    /** How often the gates are evaluated. */
    intervalSeconds: seconds("the check interval", 5, 3600),
    gates: rolloutGatesSchema,
    /** Failed checks (in the whole rollout) after which the rollout aborts and restores the starting weights. */
    failureLimit: z.number().int("the failure limit is whole").min(1, "the failure limit is at least 1").max(100, "the failure limit is at most 100"),
  })
  .strict()
  .refine((plan) => plan.intervalSeconds <= plan.stepSeconds, { message: "the check interval is no longer than the wait per step, or a step would pass unchecked", path: ["intervalSeconds"] });
export type RolloutPlan = z.infer<typeof rolloutPlanSchema>;

/** The steps of "a step weight up to a maximum, then 100", Flagger's way of writing a plan. */
export function stepsFromIncrement(stepWeight: number, maxWeight: number): number[] {
  if (!Number.isInteger(stepWeight) || stepWeight < 1 || stepWeight > 100) throw new RangeError("the step weight is a whole percentage from 1 to 100");
  if (!Number.isInteger(maxWeight) || maxWeight < stepWeight || maxWeight > 100) throw new RangeError("the maximum weight is a whole percentage between the step weight and 100");
  const steps: number[] = [];
  for (let next = stepWeight; next <= maxWeight; next += stepWeight) steps.push(next);
  if (steps[steps.length - 1] !== 100) steps.push(100);
  return steps;
}

const STANDARD_GATES: RolloutGates = { minSuccessRate: 0.99, maxP95Ms: null, maxP99Ms: null, maxP95IncreaseOverStable: 0.2, minRequestsPerCheck: 20 };

/** Presets for the common cases; each is a valid plan and a starting point for the form. */
export const ROLLOUT_PRESETS = {
  cautious: { label: "Cautious: 5 → 10 → 25 → 50 → 100, 5 minutes each", plan: { steps: [5, 10, 25, 50, 100], stepSeconds: 300, intervalSeconds: 60, gates: STANDARD_GATES, failureLimit: 2 } },
  standard: { label: "Standard: 10 → 25 → 50 → 100, 2 minutes each", plan: { steps: [10, 25, 50, 100], stepSeconds: 120, intervalSeconds: 30, gates: STANDARD_GATES, failureLimit: 3 } },
  quick: { label: "Quick: 20 → 50 → 100, 30 seconds each (demo and low-risk changes)", plan: { steps: [20, 50, 100], stepSeconds: 30, intervalSeconds: 10, gates: { ...STANDARD_GATES, minRequestsPerCheck: 10 }, failureLimit: 2 } },
} as const satisfies Record<string, { label: string; plan: RolloutPlan }>;
export type RolloutPresetName = keyof typeof ROLLOUT_PRESETS;

/** The plan's problems worded for the form, keyed by field path ("gates.minSuccessRate"). */
export function planProblems(input: unknown): Map<string, string> {
  const result = rolloutPlanSchema.safeParse(input);
  const problems = new Map<string, string>();
  if (result.success) return problems;
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "plan";
    if (!problems.has(key)) problems.set(key, issue.message);
  }
  return problems;
}
