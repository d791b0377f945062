/**
 * One entry per wizard: read the service's routing fresh, refuse stale or invalid input, build the
 * new objects, add the DestinationRule subsets they route to, record the history, and write in
 * the order that never leaves a route pointing at a subset that does not exist.
 */
import type { CircuitBreakingInput, FaultInjectionInput, MirroringInput, RequestRoutingInput, RoutingWriteResult, TimeoutsInput, TrafficShiftInput } from "@/lib/routing/schemas";
import { weightProblems } from "@/lib/routing/weights";
import { REMOVE_HISTORY_ID, rollback, wizards } from "@/lib/routing/wizards";
import { BadRequestError } from "@/server/http/errors";
import type { KubeClients } from "@/server/kube";
import { changedBySomeoneElse, refuseInViewOnly } from "@/server/kube/writes";
import { applyChanges, type ObjectChange } from "./apply";
import { circuitBreaking, subsetNames, withoutConsoleParts, withSubsets } from "./destinationRule";
import { readPreviousSpec, recordChange } from "./history";
import { clone, type DestinationRule, type ServiceRef, type VirtualService } from "./istioObjects";
import { faultInjection, mirroring, requestRouting, timeouts, trafficShift } from "./routeWizards";
import { readRoutingContext, type RoutingContext } from "./serviceRouting";
import { configuredWeights, referencedSubsets, withoutConsoleRoutes } from "./virtualService";
import { isDeepStrictEqual } from "node:util";

export interface RoutingDeps {
  readonly clients: KubeClients;
  readonly viewOnly: boolean;
  /** Who is making the change, for the history; "mesh-console" when the user is not known. */
  readonly by?: string;
  readonly now?: () => Date;
}

export interface WriteOptions {
  /** From the GET; "" means the object did not exist then. Absent: no staleness check. */
  readonly resourceVersion?: string;
  readonly destinationRuleResourceVersion?: string;
  readonly dryRun?: boolean;
}

/** undefined leaves an object as it is, null deletes it. */
interface WizardPlan {
  readonly wizard: string;
  readonly virtualService?: VirtualService | null;
  readonly destinationRule?: DestinationRule | null;
  /** Removal: the VirtualService is written before the DestinationRule loses subsets. */
  readonly removing?: boolean;
}

/** The console notices a stale wizard itself, before any write, in the same words as the API server's 409. */
function refuseStale(kind: "VirtualService" | "DestinationRule", ref: ServiceRef, opened: string | undefined, current: { metadata: { name: string; resourceVersion?: string } } | undefined): void {
  if (opened === undefined || opened === (current?.metadata.resourceVersion ?? "")) return;
  const name = current?.metadata.name ?? ref.service;
  throw changedBySomeoneElse({ kind, namespace: ref.namespace, name }, current ? (opened === "" ? "created" : "changed") : "deleted");
}

/** Subsets a request may name: the workloads' versions and what the DestinationRule defines already. */
export function knownSubsets(context: RoutingContext): string[] {
  return [...new Set([...context.versions.map((version) => version.name), ...subsetNames(context.destinationRule)])];
}

function requireKnownSubsets(context: RoutingContext, subsets: readonly string[]): void {
  const known = knownSubsets(context);
  const unknown = subsets.filter((subset) => !known.includes(subset));
  if (unknown.length > 0) throw new BadRequestError(`Unknown subset ${unknown.join(", ")}: the versions of ${context.ref.service} are ${known.join(", ") || "(none labelled)"}`, 422);
}

async function runWizard(deps: RoutingDeps, ref: ServiceRef, options: WriteOptions, build: (context: RoutingContext) => WizardPlan): Promise<RoutingWriteResult> {
  refuseInViewOnly(deps.viewOnly);
  const context = await readRoutingContext(deps.clients, ref, { missingServiceStatus: 422 });
  refuseStale("VirtualService", ref, options.resourceVersion, context.virtualService);
  refuseStale("DestinationRule", ref, options.destinationRuleResourceVersion, context.destinationRule);
  const plan = build(context);

  let virtualService = plan.virtualService === undefined ? undefined : plan.virtualService === null ? null : clone(plan.virtualService);
  let destinationRule = plan.destinationRule === undefined ? context.destinationRule : plan.destinationRule;
  if (virtualService && !plan.removing) destinationRule = withSubsets(destinationRule ?? undefined, ref, referencedSubsets(virtualService, ref)) ?? destinationRule;

  if (virtualService === null && !context.virtualService) virtualService = undefined;
  if (virtualService && context.virtualService && isDeepStrictEqual(virtualService.spec, context.virtualService.spec)) virtualService = undefined;
  if (virtualService) {
    recordChange(virtualService, context.virtualService, {
      at: (deps.now ?? (() => new Date()))().toISOString(),
      by: deps.by ?? "mesh-console",
      wizard: plan.wizard,
      from: configuredWeights(context.virtualService, ref),
      to: configuredWeights(virtualService, ref),
    });
  }

  const vsChange: ObjectChange[] = virtualService === undefined ? [] : [{ kind: "VirtualService", before: context.virtualService, after: virtualService }];
  const drChange: ObjectChange[] = destinationRule === context.destinationRule || (!destinationRule && !context.destinationRule) ? [] : [{ kind: "DestinationRule", before: context.destinationRule, after: destinationRule ?? null }];
  const changes = plan.removing ? [...vsChange, ...drChange] : [...drChange, ...vsChange];
  const written = await applyChanges(deps.clients, changes, { dryRun: options.dryRun ?? false });
  const finalVs = virtualService === undefined ? context.virtualService : (virtualService ?? undefined);
  return { dryRun: options.dryRun ?? false, changes: written, weights: configuredWeights(finalVs, ref) };
}

export function applyTrafficShift(deps: RoutingDeps, ref: ServiceRef, input: TrafficShiftInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => {
    const problems = weightProblems(input.weights, knownSubsets(context));
    if (problems.length > 0) throw new BadRequestError(problems.join("; "), 422);
    return { wizard: wizards.trafficShift.id, virtualService: trafficShift(context.virtualService, ref, input.weights) };
  });
}

export function applyRequestRouting(deps: RoutingDeps, ref: ServiceRef, input: RequestRoutingInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => {
    requireKnownSubsets(context, [input.defaultSubset, ...input.rules.map((rule) => rule.subset)]);
    return { wizard: wizards.requestRouting.id, virtualService: requestRouting(context.virtualService, ref, input) };
  });
}

export function applyFaultInjection(deps: RoutingDeps, ref: ServiceRef, input: FaultInjectionInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => ({ wizard: wizards.faultInjection.id, virtualService: faultInjection(context.virtualService, ref, input) }));
}

export function applyTimeouts(deps: RoutingDeps, ref: ServiceRef, input: TimeoutsInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => ({ wizard: wizards.timeouts.id, virtualService: timeouts(context.virtualService, ref, input) }));
}

export function applyMirroring(deps: RoutingDeps, ref: ServiceRef, input: MirroringInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => {
    requireKnownSubsets(context, [input.subset]);
    return { wizard: wizards.mirroring.id, virtualService: mirroring(context.virtualService, ref, input) };
  });
}

export function applyCircuitBreaking(deps: RoutingDeps, ref: ServiceRef, input: CircuitBreakingInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => ({ wizard: wizards.circuitBreaking.id, destinationRule: circuitBreaking(context.destinationRule, ref, input) }));
}

/** Restores the VirtualService spec from before the console's last change (deleting it if there was none). */
export function rollbackRouting(deps: RoutingDeps, ref: ServiceRef, options: WriteOptions): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, options, (context) => {
    const previous = readPreviousSpec(context.virtualService);
    if (!context.virtualService || !previous) throw new BadRequestError(`Nothing to roll back: ${context.virtualService ? `VirtualService ${ref.namespace}/${context.virtualService.metadata.name} keeps no previous routing` : `${ref.service} has no VirtualService`}`, 409);
    if (previous.kind === "none") return { wizard: rollback.id, virtualService: null, removing: true };
    return { wizard: rollback.id, virtualService: { ...clone(context.virtualService), spec: clone(previous.spec) } };
  });
}

/** Deletes what the console created: its routes (or its whole VirtualService), then its subsets and circuit breaker. */
export function removeConsoleRouting(deps: RoutingDeps, ref: ServiceRef, options: WriteOptions): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, options, (context) => {
    const virtualService = context.virtualService ? withoutConsoleRoutes(context.virtualService) : undefined;
    const destinationRule = context.destinationRule ? withoutConsoleParts(context.destinationRule, referencedSubsets(virtualService ?? undefined, ref)) : undefined;
    return { wizard: REMOVE_HISTORY_ID, virtualService, destinationRule, removing: true };
  });
}
