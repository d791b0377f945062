/**
 * A rollout as it is stored in Kubernetes and shown to people: which route it drives, the plan, the
 * weights it started from (what an abort restores), where it is, and its timeline. The driver and
 * the API both read it through this schema, so a record written by another console version or by
 * hand is refused with its reason instead of being half-understood.
 */
import { z } from "zod";
import type { GateEvaluation, RolloutProgress } from "./decision";
import { rolloutPlanSchema, type RolloutPlan } from "./plan";

/** Timeline entries kept per rollout; older ones are dropped first (the start is always kept). */
export const EVENTS_LIMIT = 100;

const gateEvaluationSchema = z.object({
  gate: z.enum(["requests", "successRate", "p95", "p99", "p95VsStable"]),
  value: z.number().nullable(),
  threshold: z.number(),
  passed: z.boolean().nullable(),
});

export const ROLLOUT_EVENT_KINDS = ["started", "check", "advanced", "failed-check", "aborted", "promoted", "paused", "resumed", "skipped", "route-changed", "took-over", "error"] as const;
export type RolloutEventKind = (typeof ROLLOUT_EVENT_KINDS)[number];

export const rolloutEventSchema = z.object({
  at: z.string(),
  kind: z.enum(ROLLOUT_EVENT_KINDS),
  message: z.string(),
  /** Who did it by hand; absent for the driver's own decisions. */
  by: z.string().optional(),
  /** The step (0-based) the rollout was at after the event, and the canary weight it carried. */
  stepIndex: z.number().int(),
  weight: z.number(),
  evaluations: z.array(gateEvaluationSchema).optional(),
  /** How many consecutive identical checks this entry stands for (holds are folded into one entry). */
  repeated: z.number().int().positive().optional(),
});
export type RolloutEvent = z.infer<typeof rolloutEventSchema>;

const progressSchema = z.object({
  phase: z.enum(["progressing", "paused", "promoted", "aborted"]),
  stepIndex: z.number().int().min(0),
  stepStartedAt: z.number(),
  failedChecks: z.number().int().min(0),
  reason: z.string().optional(),
});

export const rolloutApiSchema = z.enum(["virtualservice", "gateway-api"]);
export type RolloutApi = z.infer<typeof rolloutApiSchema>;

export const rolloutRecordSchema = z.object({
  namespace: z.string(),
  service: z.string(),
  api: rolloutApiSchema,
  /** The VirtualService or HTTPRoute whose weights the rollout moves. */
  route: z.object({ kind: z.enum(["VirtualService", "HTTPRoute"]), name: z.string() }),
  stable: z.string(),
  canary: z.string(),
  /** The weights by version when the rollout started: an abort writes them back. */
  startWeights: z.record(z.string(), z.number()),
  plan: rolloutPlanSchema,
  progress: progressSchema,
  /**
   * The route's metadata.generation after the rollout's last write. A different generation means
   * someone else changed the route's spec (a status write does not move it), which pauses the rollout.
   */
  routeGeneration: z.number().nullable(),
  /** The weights the stored progress asks for are not on the route yet (a write was interrupted): the driver writes them first. */
  weightsPending: z.boolean(),
  /** When the gates were last evaluated (ms since the epoch), so a new driver does not check again at once. */
  lastCheckAt: z.number().nullable(),
  startedAt: z.string(),
  startedBy: z.string(),
  events: z.array(rolloutEventSchema),
});
export type RolloutRecord = z.infer<typeof rolloutRecordSchema>;

/** What a list of rollouts shows per rollout. */
export const rolloutSummarySchema = z.object({
  namespace: z.string(),
  service: z.string(),
  api: rolloutApiSchema,
  route: z.object({ kind: z.string(), name: z.string() }),
  stable: z.string(),
  canary: z.string(),
  phase: progressSchema.shape.phase,
  stepIndex: z.number(),
  steps: z.array(z.number()),
  weight: z.number(),
  reason: z.string().optional(),
  startedAt: z.string(),
  startedBy: z.string(),
  lastEvent: rolloutEventSchema.optional(),
});
export type RolloutSummary = z.infer<typeof rolloutSummarySchema>;

export const rolloutListSchema = z.object({ rollouts: z.array(rolloutSummarySchema) });
export const rolloutAnswerSchema = z.object({ rollout: rolloutRecordSchema.nullable() });

/** The canary weight the record's progress stands for: the step's, or the start's after an abort. */
export function currentCanaryWeight(record: Pick<RolloutRecord, "plan" | "progress" | "startWeights" | "canary">): number {
  if (record.progress.phase === "aborted") return record.startWeights[record.canary] ?? 0;
  return record.plan.steps[record.progress.stepIndex] ?? 0;
}

/**
 * The weights by version to write for a canary weight: the canary gets it and the stable version the
 * rest; other versions that had traffic at the start keep none, since a rollout moves traffic
 * between two versions only. "start" is what the rollout started from.
 */
export function weightsFor(record: Pick<RolloutRecord, "stable" | "canary" | "startWeights">, canaryWeight: number | "start"): Record<string, number> {
  if (canaryWeight === "start") return { ...record.startWeights };
  return { [record.stable]: 100 - canaryWeight, [record.canary]: canaryWeight };
}

/** The weights the record's progress asks the route to carry. */
export function desiredWeights(record: RolloutRecord): Record<string, number> {
  return record.progress.phase === "aborted" ? weightsFor(record, "start") : weightsFor(record, currentCanaryWeight(record));
}

/** Whether the route's weights are those the record asks for (versions missing on either side count as 0). */
export function sameWeights(a: Readonly<Record<string, number>> | null, b: Readonly<Record<string, number>>): boolean {
  if (!a) return false;
  const versions = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...versions].every((version) => (a[version] ?? 0) === (b[version] ?? 0));
}

/** A rollout that still needs a driver: one that may move weights by itself, or whose last weights were not written. */
export function needsDriver(record: RolloutRecord): boolean {
  return record.progress.phase === "progressing" || record.weightsPending;
}

/**
 * Adds an event to the timeline. A check that holds for the same reason as the entry before it is
 * folded into that entry (its figures replaced, `repeated` counted) so a long wait does not push
 * the steps out of the timeline; past the limit the oldest entries after the start are dropped.
 */
export function appendEvent(events: readonly RolloutEvent[], event: RolloutEvent, limit = EVENTS_LIMIT): RolloutEvent[] {
  const last = events[events.length - 1];
  if (last && event.kind === "check" && last.kind === "check" && last.stepIndex === event.stepIndex && sameReasonShape(last.message, event.message)) {
    return [...events.slice(0, -1), { ...event, repeated: (last.repeated ?? 1) + 1 }];
  }
  const next = [...events, event];
  if (next.length <= limit) return next;
  const first = next[0]!;
  const keepFirst = first.kind === "started";
  return keepFirst ? [first, ...next.slice(next.length - (limit - 1))] : next.slice(next.length - limit);
}

/** Two hold messages differ only in their figures ("held 10 of 30 s" and "held 20 of 30 s") when their words agree. */
function sameReasonShape(a: string, b: string): boolean {
  const shape = (message: string) => message.replace(/[\d.]+/g, "#");
  return shape(a) === shape(b);
}

/** The list entry of a record. */
export function summarize(record: RolloutRecord): RolloutSummary {
  const lastEvent = record.events[record.events.length - 1];
  return {
    namespace: record.namespace,
    service: record.service,
    api: record.api,
    route: record.route,
    stable: record.stable,
    canary: record.canary,
    phase: record.progress.phase,
    stepIndex: record.progress.stepIndex,
    steps: record.plan.steps,
    weight: currentCanaryWeight(record),
    ...(record.progress.reason ? { reason: record.progress.reason } : {}),
    startedAt: record.startedAt,
    startedBy: record.startedBy,
    ...(lastEvent ? { lastEvent } : {}),
  };
}

/** A new record for a rollout starting now at its first step. */
export function newRolloutRecord(input: {
  namespace: string;
  service: string;
  api: RolloutApi;
  route: RolloutRecord["route"];
  stable: string;
  canary: string;
  startWeights: Record<string, number>;
  plan: RolloutPlan;
  by: string;
  now: number;
}): RolloutRecord {
  const progress: RolloutProgress = { phase: "progressing", stepIndex: 0, stepStartedAt: input.now, failedChecks: 0 };
  const weight = input.plan.steps[0]!;
  return {
    namespace: input.namespace,
    service: input.service,
    api: input.api,
    route: input.route,
    stable: input.stable,
    canary: input.canary,
    startWeights: input.startWeights,
    plan: input.plan,
    progress,
    routeGeneration: null,
    weightsPending: true,
    lastCheckAt: null,
    startedAt: new Date(input.now).toISOString(),
    startedBy: input.by,
    events: [
      {
        at: new Date(input.now).toISOString(),
        kind: "started",
        by: input.by,
        message: `started by ${input.by}: ${input.canary} gets ${input.plan.steps.join(" → ")} % in ${input.plan.steps.length} steps of ${input.plan.stepSeconds} s, from ${describeWeights(input.startWeights)}`,
        stepIndex: 0,
        weight,
      },
    ],
  };
}

export function describeWeights(weights: Readonly<Record<string, number>>): string {
  const entries = Object.entries(weights);
  return entries.length === 0 ? "no split" : entries.map(([version, weight]) => `${version} ${weight} %`).join(", ");
}

export type { GateEvaluation };
