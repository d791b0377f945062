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
import { mirrorOnHttpRoute, routeRequestsOnHttpRoute, setHttpRouteTimeout, shiftHttpRouteWeights, versionOfBackend } from "@/lib/routing/httpRoute";
import { decideRoutingApi } from "@/lib/routing/routingApi";
import type { RoutingApi } from "@/lib/routing/schemas";
import { removeHttpRoutePlan, rollbackHttpRoutePlan, runHttpRouteWizard, type HttpRoutePlan, type HttpRouteTarget } from "./gatewayApiWizards";
import type { HttpRouteObject } from "./httpRouteObjects";

export interface RoutingDeps {
  readonly clients: KubeClients;
  readonly viewOnly: boolean;
  /** What a service with no routing gets unless the request names an API (MESH_CONSOLE_DEFAULT_ROUTING_API). */
  readonly defaultRoutingApi?: RoutingApi;
  /** Who is making the change, for the history; "mesh-console" when the user is not known. */
  readonly by?: string;
  readonly now?: () => Date;
}

export interface WriteOptions {
  /** From the GET; "" means the object did not exist then. Absent: no staleness check. */
  readonly resourceVersion?: string;
  readonly destinationRuleResourceVersion?: string;
  readonly dryRun?: boolean;
  readonly api?: RoutingApi;
  /** The HTTPRoute's generation from the GET (see lib/routing/schemas.ts). */
  readonly generation?: number;
}

/** The API in force for the service (lib/routing/routingApi.ts); asking for the other one is refused. */
export function routingApiOf(deps: RoutingDeps, context: RoutingContext, requested?: RoutingApi) {
  const decision = decideRoutingApi({ service: context.ref.service, virtualService: context.virtualService?.metadata.name, httpRoute: context.httpRoute?.metadata.name, requested, configuredDefault: deps.defaultRoutingApi ?? "virtualservice" });
  if (decision.refusal) throw new BadRequestError(decision.refusal, 422);
  return decision;
}

/** What a wizard does to an HTTPRoute; a wizard without one is refused for Gateway API routing with its reason. */
type HttpRouteBuild = ((route: HttpRouteObject, target: HttpRouteTarget, context: RoutingContext) => HttpRoutePlan) | { refusal: string };

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
export function knownSubsets(context: RoutingContext, api: RoutingApi = "virtualservice"): string[] {
  if (api === "gateway-api") {
    // Gateway API: the workloads' versions and the version Services that exist already.
    const services = [...context.services.keys()].flatMap((name) => versionOfBackend(context.ref.service, name) ?? []);
    return [...new Set([...context.versions.map((version) => version.name), ...services])];
  }
  return [...new Set([...context.versions.map((version) => version.name), ...subsetNames(context.destinationRule)])];
}

function requireKnownSubsets(context: RoutingContext, subsets: readonly string[], api: RoutingApi = "virtualservice"): void {
  const known = knownSubsets(context, api);
  const unknown = subsets.filter((subset) => !known.includes(subset));
  if (unknown.length > 0) throw new BadRequestError(`Unknown subset ${unknown.join(", ")}: the versions of ${context.ref.service} are ${known.join(", ") || "(none labelled)"}`, 422);
}

async function runWizard(deps: RoutingDeps, ref: ServiceRef, options: WriteOptions, build: (context: RoutingContext) => WizardPlan, httpRoute: HttpRouteBuild): Promise<RoutingWriteResult> {
  refuseInViewOnly(deps.viewOnly);
  const context = await readRoutingContext(deps.clients, ref, { missingServiceStatus: 422 });
  if (routingApiOf(deps, context, options.api).api === "gateway-api") {
    if ("refusal" in httpRoute) throw new BadRequestError(httpRoute.refusal, 422);
    return runHttpRouteWizard(deps, context, options, (route, target) => httpRoute(route, target, context));
  }
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

/** Said instead of writing a VirtualService that Istio would ignore for a service an HTTPRoute routes. */
export const NO_FAULT_INJECTION = "The Gateway API has no fault injection: HTTPRoute has no equivalent of a VirtualService's fault, and Istio ignores VirtualServices for a service a mesh HTTPRoute routes. Inject faults in the application, or route the service with a VirtualService instead.";
export const NO_RETRIES = "HTTPRoute retries are not in the Gateway API's standard channel; the wizard sets the request timeout (timeouts.request) only. Leave retries out.";
export const NO_CIRCUIT_BREAKING = "The HTTPRoute sends requests to one Service per version, so a DestinationRule for the parent Service would not apply to them; circuit breaking for Gateway API routing needs a DestinationRule per version Service, which this wizard does not write.";

/** Where requests go when the HTTPRoute has no default rule yet: the first version. */
function defaultVersion(context: RoutingContext): string {
  const first = knownSubsets(context, "gateway-api")[0];
  if (!first) throw new BadRequestError(`The workloads of ${context.ref.service} carry no version label, so there is no version Service to route to`, 422);
  return first;
}

export function applyTrafficShift(deps: RoutingDeps, ref: ServiceRef, input: TrafficShiftInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => {
    const problems = weightProblems(input.weights, knownSubsets(context));
    if (problems.length > 0) throw new BadRequestError(problems.join("; "), 422);
    return { wizard: wizards.trafficShift.id, virtualService: trafficShift(context.virtualService, ref, input.weights) };
  }, (route, target, context) => {
    const problems = weightProblems(input.weights, knownSubsets(context, "gateway-api"));
    if (problems.length > 0) throw new BadRequestError(problems.join("; "), 422);
    return { wizard: wizards.trafficShift.id, route: shiftHttpRouteWeights(route, target, input.weights) };
  });
}

export function applyRequestRouting(deps: RoutingDeps, ref: ServiceRef, input: RequestRoutingInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => {
    requireKnownSubsets(context, [input.defaultSubset, ...input.rules.map((rule) => rule.subset)]);
    return { wizard: wizards.requestRouting.id, virtualService: requestRouting(context.virtualService, ref, input) };
  }, (route, target, context) => {
    requireKnownSubsets(context, [input.defaultSubset, ...input.rules.map((rule) => rule.subset)], "gateway-api");
    return { wizard: wizards.requestRouting.id, route: routeRequestsOnHttpRoute(route, target, input) };
  });
}

export function applyFaultInjection(deps: RoutingDeps, ref: ServiceRef, input: FaultInjectionInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => ({ wizard: wizards.faultInjection.id, virtualService: faultInjection(context.virtualService, ref, input) }), { refusal: NO_FAULT_INJECTION });
}

export function applyTimeouts(deps: RoutingDeps, ref: ServiceRef, input: TimeoutsInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => ({ wizard: wizards.timeouts.id, virtualService: timeouts(context.virtualService, ref, input) }), (route, target, context) => {
    if (input.retries) throw new BadRequestError(NO_RETRIES, 422);
    return { wizard: wizards.timeouts.id, route: setHttpRouteTimeout(route, target, input, defaultVersion(context)) };
  });
}

export function applyMirroring(deps: RoutingDeps, ref: ServiceRef, input: MirroringInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => {
    requireKnownSubsets(context, [input.subset]);
    return { wizard: wizards.mirroring.id, virtualService: mirroring(context.virtualService, ref, input) };
  }, (route, target, context) => {
    requireKnownSubsets(context, [input.subset], "gateway-api");
    return { wizard: wizards.mirroring.id, route: mirrorOnHttpRoute(route, target, input, defaultVersion(context)) };
  });
}

export function applyCircuitBreaking(deps: RoutingDeps, ref: ServiceRef, input: CircuitBreakingInput): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, input, (context) => ({ wizard: wizards.circuitBreaking.id, destinationRule: circuitBreaking(context.destinationRule, ref, input) }), { refusal: NO_CIRCUIT_BREAKING });
}

/** Restores the VirtualService spec from before the console's last change (deleting it if there was none). */
export function rollbackRouting(deps: RoutingDeps, ref: ServiceRef, options: WriteOptions): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, options, (context) => {
    const previous = readPreviousSpec(context.virtualService);
    if (!context.virtualService || !previous) throw new BadRequestError(`Nothing to roll back: ${context.virtualService ? `VirtualService ${ref.namespace}/${context.virtualService.metadata.name} keeps no previous routing` : `${ref.service} has no VirtualService`}`, 409);
    if (previous.kind === "none") return { wizard: rollback.id, virtualService: null, removing: true };
    return { wizard: rollback.id, virtualService: { ...clone(context.virtualService), spec: clone(previous.spec) } };
  }, (_route, _target, context) => rollbackHttpRoutePlan(context, rollback.id));
}

/** Deletes what the console created: its routes (or its whole VirtualService), then its subsets and circuit breaker. */
export function removeConsoleRouting(deps: RoutingDeps, ref: ServiceRef, options: WriteOptions): Promise<RoutingWriteResult> {
  return runWizard(deps, ref, options, (context) => {
    const virtualService = context.virtualService ? withoutConsoleRoutes(context.virtualService) : undefined;
    const destinationRule = context.destinationRule ? withoutConsoleParts(context.destinationRule, referencedSubsets(virtualService ?? undefined, ref)) : undefined;
    return { wizard: REMOVE_HISTORY_ID, virtualService, destinationRule, removing: true };
  }, (_route, _target, context) => removeHttpRoutePlan(context, REMOVE_HISTORY_ID));
}
