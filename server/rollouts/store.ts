/**
 * Where a rollout lives: a ConfigMap `mesh-console-rollout-<service>` in the service's namespace,
 * next to the route it drives, holding the record (lib/rollouts/record.ts) as JSON. A ConfigMap
 * rather than an annotation on the route: the driver writes its state every check, and an annotation
 * would move the route's resourceVersion each time, racing the very person the rollout pauses for.
 * Every update carries the resourceVersion it read, so two writers (two replicas, or a replica and
 * a person pressing Pause) cannot both win: the loser gets 409 and reads again.
 */
import type { V1ConfigMap } from "@kubernetes/client-node";
import { rolloutRecordSchema, type RolloutRecord } from "@/lib/rollouts/record";
import { kubeCall, KubeError, type KubeClients } from "@/server/kube";

export const ROLLOUT_LABEL = "mesh-console.io/rollout";
const MANAGED_BY = { "app.kubernetes.io/managed-by": "mesh-console" };
const DATA_KEY = "rollout.json";

export function rolloutObjectName(service: string): string {
  return `mesh-console-rollout-${service}`;
}

export interface StoredRollout {
  record: RolloutRecord;
  resourceVersion: string;
}

/** The stored record, or a clear refusal when the ConfigMap holds something else. */
export function parseStoredRollout(configMap: V1ConfigMap): StoredRollout {
  const text = configMap.data?.[DATA_KEY];
  const where = `ConfigMap ${configMap.metadata?.namespace}/${configMap.metadata?.name}`;
  if (!text) throw new KubeError("invalid", `${where} has no ${DATA_KEY}: it is not a rollout the console wrote`, 422);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KubeError("invalid", `${where} holds ${DATA_KEY} that is not JSON`, 422);
  }
  const parsed = rolloutRecordSchema.safeParse(value);
  if (!parsed.success) throw new KubeError("invalid", `${where} holds a rollout this console cannot read: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`, 422);
  return { record: parsed.data, resourceVersion: configMap.metadata?.resourceVersion ?? "" };
}

function configMapOf(record: RolloutRecord, resourceVersion?: string): V1ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: rolloutObjectName(record.service),
      namespace: record.namespace,
      labels: { ...MANAGED_BY, [ROLLOUT_LABEL]: record.service },
      ...(resourceVersion ? { resourceVersion } : {}),
    },
    data: { [DATA_KEY]: JSON.stringify(record) },
  };
}

export async function readRollout(clients: KubeClients, namespace: string, service: string): Promise<StoredRollout | undefined> {
  try {
    const configMap = await kubeCall(clients, "read_rollout", `read the rollout of ${namespace}/${service}`, () => clients.core.readNamespacedConfigMap({ name: rolloutObjectName(service), namespace }));
    return parseStoredRollout(configMap);
  } catch (error) {
    if (error instanceof KubeError && error.failure === "not-found") return undefined;
    throw error;
  }
}

/** Every rollout the console stored, in all namespaces (the console's own identity lists them). */
export async function listRollouts(clients: KubeClients): Promise<StoredRollout[]> {
  const list = await kubeCall(clients, "list_rollouts", "list the console's rollouts", () => clients.core.listConfigMapForAllNamespaces({ labelSelector: ROLLOUT_LABEL }));
  const rollouts: StoredRollout[] = [];
  for (const item of list.items) {
    try {
      rollouts.push(parseStoredRollout(item));
    } catch {
      // A ConfigMap someone labelled by hand is not a rollout; the others still are.
    }
  }
  return rollouts;
}

/** Creates the record; 409 (already-exists) when one is there, which the caller turns into words. */
export async function createRollout(clients: KubeClients, record: RolloutRecord): Promise<StoredRollout> {
  const created = await kubeCall(clients, "create_rollout", `store the rollout of ${record.namespace}/${record.service}`, () => clients.core.createNamespacedConfigMap({ namespace: record.namespace, body: configMapOf(record) }));
  return parseStoredRollout(created);
}

/** Replaces the record as read at `resourceVersion`; KubeError "conflict" when someone wrote it since. */
export async function updateRollout(clients: KubeClients, record: RolloutRecord, resourceVersion: string): Promise<StoredRollout> {
  const name = rolloutObjectName(record.service);
  const updated = await kubeCall(clients, "update_rollout", `update the rollout of ${record.namespace}/${record.service}`, () => clients.core.replaceNamespacedConfigMap({ name, namespace: record.namespace, body: configMapOf(record, resourceVersion) }));
  return parseStoredRollout(updated);
}

/** Deletes a finished record as read, so a new rollout can start. */
export async function deleteRollout(clients: KubeClients, namespace: string, service: string, resourceVersion: string): Promise<void> {
  await kubeCall(clients, "delete_rollout", `delete the rollout of ${namespace}/${service}`, () =>
    clients.core.deleteNamespacedConfigMap({ name: rolloutObjectName(service), namespace, body: { preconditions: { resourceVersion } } }),
  );
}
