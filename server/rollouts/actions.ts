/**
 * What people do to rollouts, with their own Kubernetes identity (kube() is the person's clients
 * when they signed in): starting one, pausing, resuming, skipping, aborting or promoting it. Each
 * write of weights is first sent as a dry run with the person's identity, so RBAC refuses before
 * the record changes; the record itself is written with their identity too (so they need to be
 * allowed to change ConfigMaps in the namespace), with the resourceVersion they read.
 */
import { applyCommand, type RolloutCommand } from "@/lib/rollouts/decision";
import { appendEvent, currentCanaryWeight, desiredWeights, newRolloutRecord, summarize, weightsFor, type RolloutEvent, type RolloutRecord, type RolloutSummary } from "@/lib/rollouts/record";
import type { RolloutCommandInput, StartRolloutInput } from "@/lib/rollouts/requests";
import { BadRequestError } from "@/server/http/errors";
import { consoleKube, kube, KubeError } from "@/server/kube";
import { refuseInViewOnly } from "@/server/kube/writes";
import { routingDeps } from "@/server/routing/http";
import type { ServiceRef } from "@/server/routing/istioObjects";
import type { RoutingDeps } from "@/server/routing/wizards";
import { eventOf, settleWeights } from "./driver";
import { personName } from "./person";
import { readRouteFacts, writeWeights } from "./route";
import { createRollout, deleteRollout, listRollouts, readRollout, updateRollout, type StoredRollout } from "./store";
import { notifyRolloutEvents } from "./webhooks";

const CONFLICT_RETRIES = 3;

async function personDeps(): Promise<{ routing: RoutingDeps; by: string }> {
  const by = await personName();
  return { routing: { ...routingDeps(), by: `${by} (rollout)` }, by };
}

export async function rolloutOf(ref: ServiceRef): Promise<RolloutRecord | null> {
  return (await readRollout(kube(), ref.namespace, ref.service))?.record ?? null;
}

/** Every rollout in the namespaces given (those the person may read). */
export async function rolloutSummaries(mayRead: (namespace: string) => boolean): Promise<RolloutSummary[]> {
  const stored = await listRollouts(consoleKube());
  return stored
    .filter((entry) => mayRead(entry.record.namespace))
    .map((entry) => summarize(entry.record))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export async function startRollout(ref: ServiceRef, input: StartRolloutInput): Promise<RolloutRecord> {
  const { routing, by } = await personDeps();
  refuseInViewOnly(routing.viewOnly);
  const clients = routing.clients;
  const existing = await readRollout(clients, ref.namespace, ref.service);
  if (existing && (existing.record.progress.phase === "progressing" || existing.record.progress.phase === "paused")) {
    throw new BadRequestError(`A rollout of ${ref.service} is already ${existing.record.progress.phase} (${existing.record.canary} at ${currentCanaryWeight(existing.record)} %); abort or promote it first`, 409);
  }
  const facts = await readRouteFacts(routing, ref);
  for (const version of [input.stable, input.canary]) {
    if (!facts.versions.includes(version)) throw new BadRequestError(`${version} is not a version of ${ref.service}: its versions are ${facts.versions.join(", ") || "(none labelled)"}`, 422);
  }
  const startWeights = facts.weights ?? { [input.stable]: 100 };
  const record = newRolloutRecord({
    ...ref,
    api: facts.api,
    route: { kind: facts.api === "gateway-api" ? "HTTPRoute" : "VirtualService", name: facts.route?.name ?? ref.service },
    stable: input.stable,
    canary: input.canary,
    startWeights,
    plan: input.plan,
    by,
    now: Date.now(),
  });
  // The first step as a dry run with the person's identity: RBAC and admission answer before anything is stored.
  await writeWeights(routing, ref, facts.api, desiredWeights(record), { dryRun: true, seen: facts.route ?? null });
  if (existing) await deleteRollout(clients, ref.namespace, ref.service, existing.resourceVersion);
  const created = await createRollout(clients, record);
  let settled: StoredRollout | undefined;
  try {
    settled = await settleWeights({ clients, routing, now: Date.now, notify: notifyRolloutEvents }, created, clients, routing);
  } catch (error) {
    // Nothing half-applied: the record goes when its first weights could not be written.
    await deleteRollout(clients, ref.namespace, ref.service, created.resourceVersion).catch(() => undefined);
    throw error;
  }
  notifyRolloutEvents(created.record, created.record.events);
  return (settled ?? created).record;
}

function commandOf(input: RolloutCommandInput, by: string): RolloutCommand {
  return input.command === "skipTo" ? { command: "skipTo", stepIndex: input.stepIndex, by } : { command: input.command, by };
}

const EVENT_KIND: Record<RolloutCommandInput["command"], RolloutEvent["kind"]> = { pause: "paused", resume: "resumed", abort: "aborted", promote: "promoted", skipTo: "skipped" };

export async function commandRollout(ref: ServiceRef, input: RolloutCommandInput): Promise<RolloutRecord> {
  const { routing, by } = await personDeps();
  refuseInViewOnly(routing.viewOnly);
  const clients = routing.clients;
  for (let attempt = 0; ; attempt += 1) {
    const stored = await readRollout(clients, ref.namespace, ref.service);
    if (!stored) throw new BadRequestError(`${ref.service} has no rollout`, 404);
    const now = Date.now();
    const result = applyCommand(stored.record.plan, stored.record.progress, commandOf(input, by), now);
    if (!result.ok) throw new BadRequestError(result.reason, 409);
    const next: RolloutRecord = { ...stored.record, progress: result.progress, weightsPending: result.weight !== null, lastCheckAt: null };
    const event = eventOf(next, EVENT_KIND[input.command], result.progress.reason ?? input.command, now, { by });
    if (result.weight !== null) {
      const facts = await readRouteFacts(routing, ref);
      await writeWeights(routing, ref, next.api, weightsFor(next, result.weight), { dryRun: true, seen: facts.route ?? null });
    }
    let saved: StoredRollout;
    try {
      saved = await updateRollout(clients, { ...next, events: appendEvent(next.events, event) }, stored.resourceVersion);
    } catch (error) {
      // The driver (or someone else) wrote first: judge the command again on what they wrote.
      if (error instanceof KubeError && error.failure === "conflict" && attempt < CONFLICT_RETRIES) continue;
      throw error;
    }
    notifyRolloutEvents(saved.record, [event]);
    if (result.weight === null) return saved.record;
    return ((await settleWeights({ clients, routing, now: Date.now, notify: notifyRolloutEvents }, saved, clients, routing)) ?? saved).record;
  }
}
