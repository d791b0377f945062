/**
 * Writing a wizard's changes so that nothing is half-applied.
 *
 * - Each write is first sent as a server-side dry run (https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run),
 *   all of them before the first real write, so schema and admission errors stop the change early.
 * - Replaces and deletes carry the resourceVersion the object was read at; a concurrent change makes
 *   the API server answer 409 instead of being overwritten (https://kubernetes.io/docs/reference/using-api/api-concepts/#conflicts).
 * - The caller gives the order: a DestinationRule that adds subsets goes before the VirtualService
 *   that routes to them, and when routing is removed the VirtualService goes first.
 * - When a later write fails, the earlier ones are undone in reverse order.
 */
import { isDeepStrictEqual } from "node:util";
import { stringify } from "yaml";
import type { RoutingChange } from "@/lib/routing/schemas";
import { kubeCall, KubeError, type KubeClients } from "@/server/kube";
import { DESTINATION_RULE, VIRTUAL_SERVICE, withoutServerFields, type DestinationRule, type VirtualService } from "./istioObjects";

type RoutingObject = VirtualService | DestinationRule;

export interface ObjectChange {
  readonly kind: "VirtualService" | "DestinationRule";
  /** The object as read (with its resourceVersion), or undefined when it does not exist. */
  readonly before: RoutingObject | undefined;
  /** The object to store, or null to delete it. */
  readonly after: RoutingObject | null;
}

const COORDINATES = { VirtualService: VIRTUAL_SERVICE, DestinationRule: DESTINATION_RULE } as const;
const PLURAL_WORDS = { VirtualService: "VirtualServices", DestinationRule: "DestinationRules" } as const;

type Action = RoutingChange["action"];

function actionOf(change: ObjectChange): Action {
  if (!change.before) return change.after ? "create" : "unchanged";
  if (!change.after) return "delete";
  return isDeepStrictEqual(withoutServerFields(change.before), withoutServerFields(change.after)) ? "unchanged" : "replace";
}

export function yamlOf(object: RoutingObject | null | undefined): string | null {
  return object ? stringify(withoutServerFields(object), { lineWidth: 0 }) : null;
}

function nameOf(change: ObjectChange): string {
  return (change.after ?? change.before)!.metadata.name;
}

function namespaceOf(change: ObjectChange): string {
  return String((change.after ?? change.before)!.metadata.namespace);
}

/** Turns the API server's refusals into what the person can do about them. */
function explain(error: unknown, change: ObjectChange): unknown {
  if (!(error instanceof KubeError)) return error;
  const what = `${change.kind} ${namespaceOf(change)}/${nameOf(change)}`;
  if (error.failure === "conflict" || (error.failure === "not-found" && change.before)) {
    return new KubeError("conflict", `${what} was changed by someone else since you opened it; reload to see the new state and apply again`, 409);
  }
  if (error.failure === "already-exists") return new KubeError("conflict", `${what} was created by someone else since you opened it; reload to see it and apply again`, 409);
  if (error.failure === "forbidden") {
    return new KubeError("forbidden", `Your account may not change ${PLURAL_WORDS[change.kind]} in ${namespaceOf(change)} (the Kubernetes API answered 403); ask for write access to networking.istio.io or use an account that has it`, 403);
  }
  return error;
}

async function write(clients: KubeClients, change: ObjectChange, action: Action, dryRun: boolean): Promise<RoutingObject | undefined> {
  const coordinates = { group: COORDINATES[change.kind].group, version: COORDINATES[change.kind].version, plural: COORDINATES[change.kind].plural, namespace: namespaceOf(change) };
  const what = `${change.kind} ${coordinates.namespace}/${nameOf(change)}`;
  const dry = dryRun ? { dryRun: "All" } : {};
  const doing = `${dryRun ? "check " : ""}${action} ${what}`;
  switch (action) {
    case "create": {
      const body = withoutServerFields(change.after!);
      return (await kubeCall(clients, "create_istio", doing, () => clients.custom.createNamespacedCustomObject({ ...coordinates, body, ...dry }))) as RoutingObject;
    }
    case "replace": {
      const body = { ...withoutServerFields(change.after!), metadata: { ...withoutServerFields(change.after!).metadata, resourceVersion: change.before!.metadata.resourceVersion } };
      return (await kubeCall(clients, "replace_istio", doing, () => clients.custom.replaceNamespacedCustomObject({ ...coordinates, name: nameOf(change), body, ...dry }))) as RoutingObject;
    }
    case "delete": {
      const body = { preconditions: { resourceVersion: change.before!.metadata.resourceVersion }, ...(dryRun ? { dryRun: ["All"] } : {}) };
      await kubeCall(clients, "delete_istio", doing, () => clients.custom.deleteNamespacedCustomObject({ ...coordinates, name: nameOf(change), body, ...dry }));
      return undefined;
    }
    case "unchanged":
      return change.before;
  }
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
    try {
      await write(clients, change, action, true);
    } catch (error) {
      throw explain(error, change);
    }
  }
  if (options.dryRun) return summary((index) => (planned[index]!.action === "delete" ? null : (planned[index]!.change.after ?? null)));

  const done: { change: ObjectChange; action: Action; stored: RoutingObject | undefined }[] = [];
  for (const { change, action } of planned) {
    try {
      done.push({ change, action, stored: await write(clients, change, action, false) });
    } catch (error) {
      const explained = explain(error, change);
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
