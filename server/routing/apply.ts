/**
 * Writing a wizard's changes so that nothing is half-applied. Each object goes through the console's
 * one write path (server/kube/writes.ts); this module plans the order and undoes on failure.
 *
 * - Each write is first sent as a server-side dry run (https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run),
 *   all of them before the first real write, so schema and admission errors stop the change early.
 * - Replaces and deletes carry the resourceVersion the object was read at; a concurrent change makes
 *   the API server answer 409 instead of being overwritten (https://kubernetes.io/docs/reference/using-api/api-concepts/#conflicts).
 * - The caller gives the order: a DestinationRule that adds subsets (or a version Service) goes
 *   before the VirtualService (or HTTPRoute) that routes to them, and when routing is removed the
 *   route goes first.
 * - When a later write fails, the earlier ones are undone in reverse order.
 */
import { isDeepStrictEqual } from "node:util";
import { stringify } from "yaml";
import type { RoutingChange } from "@/lib/routing/schemas";
import { KubeError, type KubeClients } from "@/server/kube";
import { writeIstioObject } from "@/server/kube/writes";
import { withoutServerFields, type DestinationRule, type VirtualService } from "./istioObjects";
import { writeService, type ServiceObject } from "./versionServices";
import type { HttpRouteObject } from "./httpRouteObjects";

type RoutingObject = VirtualService | DestinationRule | HttpRouteObject | ServiceObject;

/** Every routing object is a Kubernetes object; the Gateway API models type metadata as an interface without an index signature. */
function kubeObject(object: RoutingObject): { metadata: Record<string, unknown> } & Record<string, unknown> {
  return object as unknown as { metadata: Record<string, unknown> } & Record<string, unknown>;
}

function plain(object: RoutingObject): { metadata: Record<string, unknown> } & Record<string, unknown> {
  return withoutServerFields(kubeObject(object));
}

export interface ObjectChange {
  readonly kind: RoutingChange["kind"];
  /** The object as read (with its resourceVersion), or undefined when it does not exist. */
  readonly before: RoutingObject | undefined;
  /** The object to store, or null to delete it. */
  readonly after: RoutingObject | null;
}

type Action = RoutingChange["action"];

function actionOf(change: ObjectChange): Action {
  if (!change.before) return change.after ? "create" : "unchanged";
  if (!change.after) return "delete";
  return isDeepStrictEqual(plain(change.before), plain(change.after)) ? "unchanged" : "replace";
}

export function yamlOf(object: RoutingObject | null | undefined): string | null {
  return object ? stringify(plain(object), { lineWidth: 0 }) : null;
}

function nameOf(change: ObjectChange): string {
  return (change.after ?? change.before)!.metadata.name;
}

function namespaceOf(change: ObjectChange): string {
  return String((change.after ?? change.before)!.metadata.namespace);
}

/** The one write path (server/kube/writes.ts) does the call, the dry run and the refusals' wording. */
async function write(clients: KubeClients, change: ObjectChange, action: Action, dryRun: boolean): Promise<RoutingObject | undefined> {
  if (change.kind === "Service") {
    if (action === "replace") throw new Error("The wizards never replace a Service");
    if (action === "unchanged") return change.before;
    return writeService(clients, action, (action === "create" ? plain(change.after!) : change.before!) as ServiceObject, { dryRun });
  }
  const target = { kind: change.kind, namespace: namespaceOf(change), name: nameOf(change) };
  switch (action) {
    case "create":
      return (await writeIstioObject(clients, { action, ...target, object: plain(change.after!) }, { dryRun })) as RoutingObject;
    case "replace":
      return (await writeIstioObject(clients, { action, ...target, object: plain(change.after!), resourceVersion: resourceVersionOf(change.before!) }, { dryRun })) as RoutingObject;
    case "delete":
      await writeIstioObject(clients, { action, ...target, resourceVersion: resourceVersionOf(change.before!) }, { dryRun });
      return undefined;
    case "unchanged":
      return change.before;
  }
}

function resourceVersionOf(object: RoutingObject): string {
  return object.metadata.resourceVersion ?? "";
}

/** Undoes one stored change; `stored` is what the write answered (undefined after a delete). */
async function undo(clients: KubeClients, change: ObjectChange, action: Action, stored: RoutingObject | undefined): Promise<void> {
  if (action === "create" && stored) await write(clients, { kind: change.kind, before: stored, after: null }, "delete", false);
  if (action === "replace" && stored) await write(clients, { kind: change.kind, before: stored, after: change.before! }, "replace", false);
  if (action === "delete") await write(clients, { kind: change.kind, before: undefined, after: change.before! }, "create", false);
}

export async function applyChanges(clients: KubeClients, changes: readonly ObjectChange[], options: { dryRun: boolean }): Promise<RoutingChange[]> {
  const planned = changes.map((change) => ({ change, action: actionOf(change) }));
  const summary = (after: (index: number) => RoutingObject | null | undefined): RoutingChange[] =>
    planned.map(({ change, action }, index) => ({ kind: change.kind, name: nameOf(change), action, before: yamlOf(change.before), after: yamlOf(after(index)) }));

  for (const { change, action } of planned) {
    await write(clients, change, action, true);
  }
  if (options.dryRun) return summary((index) => (planned[index]!.action === "delete" ? null : (planned[index]!.change.after ?? null)));

  const done: { change: ObjectChange; action: Action; stored: RoutingObject | undefined }[] = [];
  for (const { change, action } of planned) {
    try {
      done.push({ change, action, stored: await write(clients, change, action, false) });
    } catch (explained) {
      const undone = done.filter((step) => step.action !== "unchanged");
      if (undone.length === 0) throw explained;
      const failedUndo: string[] = [];
      for (const step of undone.reverse()) {
        try {
          await undo(clients, step.change, step.action, step.stored);
        } catch (undoError) {
          failedUndo.push(`${step.change.kind} ${nameOf(step.change)} (${undoError instanceof Error ? undoError.message : String(undoError)})`);
        }
      }
      const message = explained instanceof Error ? explained.message : String(explained);
      const what = undone.map((step) => `${step.change.kind} ${nameOf(step.change)}`).join(" and ");
      const outcome = failedUndo.length === 0 ? `the ${what} change made before it was undone, so nothing changed` : `undoing the earlier change failed too: ${failedUndo.join("; ")}; check those objects`;
      const status = explained instanceof KubeError ? explained.httpStatus : 500;
      throw new KubeError(explained instanceof KubeError ? explained.failure : "other", `${message}; ${outcome}`, status, explained instanceof KubeError ? explained.causes : []);
    }
  }
  return summary((index) => done[index]!.stored ?? (planned[index]!.action === "delete" ? null : undefined));
}
