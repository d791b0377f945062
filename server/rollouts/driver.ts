/**
 * The rollout loop, thin around the pure decisions (lib/rollouts/decision.ts): for a rollout whose
 * Lease this replica holds, read the stored record and the route, notice a change someone else
 * made, read the gates from Prometheus when a check is due, decide, and carry the decision out.
 *
 * Never twice, never skipped: a decision that moves weights is first claimed in the record (the
 * ConfigMap update carries the resourceVersion read, so a replica or person who wrote since makes
 * it fail with 409 and nothing is written), with `weightsPending` set; then the weights are written;
 * then the record takes the route's new generation and clears `weightsPending`. A replica that dies
 * between the two leaves `weightsPending` for the next holder, which writes the same weights (a
 * write of equal weights changes nothing) instead of deciding again.
 */
import { applyCommand, decideRolloutStep, describeEvaluation, progressAfter, type RolloutDecision } from "@/lib/rollouts/decision";
import { checkDue, checkWindowSeconds } from "@/lib/rollouts/reading";
import { appendEvent, currentCanaryWeight, desiredWeights, sameWeights, type RolloutEvent, type RolloutRecord } from "@/lib/rollouts/record";
import { KubeError, type KubeClients } from "@/server/kube";
import type { PrometheusClient } from "@/server/prometheus";
import type { TelemetryMetricNames } from "@/server/telemetry";
import type { RoutingDeps } from "@/server/routing/wizards";
import { readGates } from "./gates";
import { readRouteFacts, writeWeights } from "./route";
import { updateRollout, type StoredRollout } from "./store";

export interface DriverDeps {
  /** The console's own identity: the driver acts when nobody is there to act as. */
  readonly clients: KubeClients;
  readonly routing: RoutingDeps;
  readonly prometheus: PrometheusClient;
  /** The metric names the gates read (server/telemetry decides between raw metrics and recording rules). */
  readonly metricNames: () => Promise<TelemetryMetricNames>;
  readonly now: () => number;
  readonly notify: (record: RolloutRecord, events: readonly RolloutEvent[]) => void;
}

function refOf(record: RolloutRecord) {
  return { namespace: record.namespace, service: record.service };
}

export function eventOf(record: RolloutRecord, kind: RolloutEvent["kind"], message: string, now: number, extra: Partial<RolloutEvent> = {}): RolloutEvent {
  return { at: new Date(now).toISOString(), kind, message, stepIndex: record.progress.stepIndex, weight: currentCanaryWeight(record), ...extra };
}

/** Saves `next` over `stored`; undefined on a conflict (someone wrote first: read again next time). */
async function save(deps: DriverDeps, stored: StoredRollout, next: RolloutRecord, newEvents: readonly RolloutEvent[]): Promise<StoredRollout | undefined> {
  try {
    const saved = await updateRollout(deps.clients, next, stored.resourceVersion);
    if (newEvents.length > 0) deps.notify(saved.record, newEvents);
    return saved;
  } catch (error) {
    if (error instanceof KubeError && error.failure === "conflict") return undefined;
    throw error;
  }
}

function withEvent(record: RolloutRecord, event: RolloutEvent): RolloutRecord {
  return { ...record, events: appendEvent(record.events, event) };
}

/**
 * Writes the weights the record asks for and stores the route's generation after them. Used by the
 * driver after claiming a decision and for a pending write a previous holder left.
 */
export async function settleWeights(deps: Pick<DriverDeps, "clients" | "routing" | "now" | "notify">, stored: StoredRollout, clients: KubeClients = deps.clients, routing: RoutingDeps = deps.routing): Promise<StoredRollout | undefined> {
  const { record } = stored;
  const ref = refOf(record);
  const before = await readRouteFacts(routing, ref);
  try {
    if (!sameWeights(before.weights, desiredWeights(record))) await writeWeights(routing, ref, record.api, desiredWeights(record), { dryRun: false, seen: before.route ?? null });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const event = eventOf(record, "error", `could not write the weights ${JSON.stringify(desiredWeights(record))}: ${message}; trying again`, deps.now());
    await save(deps as DriverDeps, stored, withEvent(record, event), [event]);
    return undefined;
  }
  const after = await readRouteFacts(routing, ref);
  const next = { ...record, weightsPending: false, routeGeneration: after.route?.generation ?? null };
  try {
    return await updateRollout(clients, next, stored.resourceVersion);
  } catch (error) {
    if (error instanceof KubeError && error.failure === "conflict") return undefined;
    throw error;
  }
}

function decisionEvent(record: RolloutRecord, decision: Exclude<RolloutDecision, { action: "idle" }>, now: number): RolloutEvent {
  const evaluations = decision.evaluations;
  const figures = evaluations.map(describeEvaluation).join("; ");
  switch (decision.action) {
    case "hold":
      return eventOf(record, "check", decision.reason, now, { evaluations });
    case "advance":
      return eventOf(record, "advanced", `checks passed (${figures}): step ${decision.toStepIndex + 1}, ${record.canary} gets ${decision.weight} %`, now, { evaluations });
    case "promote":
      return eventOf(record, "promoted", `every step passed its checks (${figures}): ${record.canary} gets 100 %`, now, { evaluations });
    case "fail":
      return eventOf(record, "failed-check", decision.reason, now, { evaluations });
    case "abort":
      return eventOf(record, "aborted", decision.reason, now, { evaluations });
  }
}

/**
 * One pass over one rollout this replica drives. Returns the record as stored afterwards, or
 * undefined when nothing was stored (nothing to do, or another writer came first).
 */
export async function driveRollout(deps: DriverDeps, stored: StoredRollout, options: { tookOverFrom?: string } = {}): Promise<StoredRollout | undefined> {
  const now = deps.now();
  if (options.tookOverFrom) {
    const event = eventOf(stored.record, "took-over", `this console replica took the rollout over from ${options.tookOverFrom}, whose lease lapsed; continuing from the stored step`, now);
    const saved = await save(deps, stored, withEvent(stored.record, event), [event]);
    if (!saved) return undefined;
    stored = saved;
  }
  if (stored.record.weightsPending) return settleWeights(deps, stored);
  const record = stored.record;
  if (record.progress.phase !== "progressing") return undefined;

  const facts = await readRouteFacts(deps.routing, refOf(record));
  const generation = facts.route?.generation ?? null;
  if (generation !== record.routeGeneration || !sameWeights(facts.weights, desiredWeights(record))) {
    const what = facts.route ? `the ${facts.route.kind} ${facts.route.name}` : `the route of ${record.service}`;
    const detail = `${what} was changed outside the rollout (${facts.route ? `generation ${record.routeGeneration ?? "none"} → ${generation ?? "none"}` : "deleted"}, weights now ${JSON.stringify(facts.weights)}); resume to write step ${record.progress.stepIndex + 1}'s weights again, or abort`;
    const result = applyCommand(record.plan, record.progress, { command: "routeChangedElsewhere", detail }, now);
    if (!result.ok) return undefined;
    const next = { ...record, progress: result.progress };
    const event = eventOf(next, "route-changed", `paused: ${detail}`, now);
    return save(deps, stored, withEvent(next, event), [event]);
  }

  if (!checkDue(record.plan, record.lastCheckAt, now)) return undefined;
  const window = checkWindowSeconds(record.plan, record.progress, now);
  const reading = await readGates(deps.prometheus, record, window, await deps.metricNames());
  const decision = decideRolloutStep(record.plan, record.progress, reading, now);
  if (decision.action === "idle") return undefined;
  const progress = progressAfter(record.plan, record.progress, decision, now);
  const moves = decision.action === "advance" || decision.action === "promote" || decision.action === "abort";
  const decided: RolloutRecord = { ...record, progress, lastCheckAt: now, weightsPending: moves };
  const event = decisionEvent(decided, decision, now);
  const claimed = await save(deps, stored, withEvent(decided, event), [event]);
  if (!claimed || !moves) return claimed;
  return settleWeights(deps, claimed);
}
