/**
 * The wizards' writes for a service routed by the Gateway API: its mesh HTTPRoute (parentRef the
 * Service) and one Service per version. The same rules as for VirtualServices: read fresh, refuse a
 * stale resourceVersion, keep the previous spec and the history on the route, dry-run every write
 * before the first real one, create version Services before the route that names them (and delete
 * the console's own after the route no longer does), and undo what was written when a later write
 * fails.
 */
import { isDeepStrictEqual } from "node:util";
import { CONSOLE_RULE_PREFIX, httpRouteWeights, newHttpRoute, parentPort, referencedVersionServices, versionOfBackend, withoutConsoleRules } from "@/lib/routing/httpRoute";
import type { RoutingWriteResult } from "@/lib/routing/schemas";
import type { IHTTPRoute } from "@/lib/gatewayApi/types";
import { BadRequestError } from "@/server/http/errors";
import { changedBySomeoneElse } from "@/server/kube/writes";
import { applyChanges, type ObjectChange } from "./apply";
import { readPreviousSpec, recordChange } from "./history";
import type { HttpRouteObject } from "./httpRouteObjects";
import { clone, CREATED_BY_LABEL, CREATED_BY_VALUE, createdByConsole } from "./istioObjects";
import type { RoutingContext } from "./serviceRouting";
import { newVersionService } from "./versionServices";
import type { RoutingDeps, WriteOptions } from "./wizards";

export interface HttpRouteTarget {
  readonly namespace: string;
  readonly service: string;
  readonly port: number;
}

/** The port the route attaches to: its parentRef's, else the Service's only (or first HTTP) port. */
export function routeTarget(context: RoutingContext): HttpRouteTarget {
  const ports = context.service.spec?.ports ?? [];
  const port = parentPort(context.httpRoute, context.ref) ?? (ports.find((entry) => /^(http|grpc)/.test(entry.name ?? "") || /^(http|grpc)/.test(entry.appProtocol ?? "")) ?? ports[0])?.port;
  if (port === undefined) throw new BadRequestError(`Service ${context.ref.namespace}/${context.ref.service} exposes no port, so an HTTPRoute cannot route it`, 422);
  return { ...context.ref, port };
}

/** What one wizard asks for: the new route (null deletes it); `removing` orders the route's write first. */
export interface HttpRoutePlan {
  readonly wizard: string;
  readonly route: IHTTPRoute | null;
  readonly removing?: boolean;
}

export async function runHttpRouteWizard(deps: RoutingDeps, context: RoutingContext, options: WriteOptions, build: (route: HttpRouteObject, target: HttpRouteTarget) => HttpRoutePlan): Promise<RoutingWriteResult> {
  const { ref } = context;
  const current = context.httpRoute;
  // Status written by istiod moves the resourceVersion, not the generation: that is no one's change to the routing.
  const onlyStatusMoved = current !== undefined && options.generation !== undefined && current.metadata.generation === options.generation;
  if (options.resourceVersion !== undefined && options.resourceVersion !== (current?.metadata.resourceVersion ?? "") && !onlyStatusMoved) {
    throw changedBySomeoneElse({ kind: "HTTPRoute", namespace: ref.namespace, name: current?.metadata.name ?? ref.service }, current ? (options.resourceVersion === "" ? "created" : "changed") : "deleted");
  }
  const target = routeTarget(context);
  const plan = build(current ?? (newHttpRoute(target, { [CREATED_BY_LABEL]: CREATED_BY_VALUE }) as HttpRouteObject), target);
  // undefined: nothing to write (deleting a route that is not there).
  const route: HttpRouteObject | null | undefined = plan.route === null ? (current ? null : undefined) : (clone(plan.route) as HttpRouteObject);
  const unchanged = route && current && isDeepStrictEqual(route.spec, current.spec);

  const changes: ObjectChange[] = [];
  const routeChange: ObjectChange[] = [];
  if (route !== undefined && !unchanged) {
    if (route) {
      recordChange(route, current, {
        at: (deps.now ?? (() => new Date()))().toISOString(),
        by: deps.by ?? "mesh-console",
        wizard: plan.wizard,
        from: httpRouteWeights(current, ref),
        to: httpRouteWeights(route, ref),
      });
    }
    routeChange.push({ kind: "HTTPRoute", before: current, after: route });
  }
  // Version Services: missing ones the route names are created first; the console's own that it no
  // longer names are deleted after it.
  const named = new Set(referencedVersionServices(route ?? undefined, ref));
  const creates: ObjectChange[] = [...named]
    .filter((name) => !context.services.has(name))
    .map((name) => ({ kind: "Service", before: undefined, after: newVersionService(context.service, ref.namespace, versionOfBackend(ref.service, name)!) }));
  const deletes: ObjectChange[] = plan.removing
    ? referencedVersionServices(current, ref)
        .filter((name) => !named.has(name))
        .flatMap((name) => {
          const existing = context.services.get(name);
          return existing && createdByConsole(existing) ? [{ kind: "Service" as const, before: existing, after: null }] : [];
        })
    : [];
  changes.push(...creates, ...routeChange, ...deletes);
  const dryRun = options.dryRun ?? false;
  const written = await applyChanges(deps.clients, changes, { dryRun });
  const finalRoute = route === undefined || unchanged ? current : (route ?? undefined);
  return { dryRun, changes: written, weights: httpRouteWeights(finalRoute, ref) };
}

/** Rollback: the route's spec from before the console's last change, or no route when the console created it. */
export function rollbackHttpRoutePlan(context: RoutingContext, wizard: string): HttpRoutePlan {
  const current = context.httpRoute;
  const previous = readPreviousSpec<IHTTPRoute["spec"]>(current);
  if (!current || !previous) throw new BadRequestError(`Nothing to roll back: ${current ? `HTTPRoute ${context.ref.namespace}/${current.metadata.name} keeps no previous routing` : `${context.ref.service} has no HTTPRoute`}`, 409);
  if (previous.kind === "none") return { wizard, route: null, removing: true };
  return { wizard, route: { ...clone(current), spec: clone(previous.spec) }, removing: true };
}

/** Removal: the console's rules out (the whole route when it created it, or nothing else is left), then its version Services. */
export function removeHttpRoutePlan(context: RoutingContext, wizard: string): HttpRoutePlan {
  const current = context.httpRoute;
  if (!current) return { wizard, route: null, removing: true };
  return { wizard, route: createdByConsole(current) ? null : withoutConsoleRules(current), removing: true };
}

/** Whether the route holds anything the console added. */
export function hasConsoleRules(route: IHTTPRoute | undefined): boolean {
  return !!route && ((route.metadata?.labels?.[CREATED_BY_LABEL] ?? "") === CREATED_BY_VALUE || (route.spec.rules ?? []).some((rule) => rule.name?.startsWith(CONSOLE_RULE_PREFIX)));
}
