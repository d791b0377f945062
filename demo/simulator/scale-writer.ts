/**
 * Creates a generated mesh in the cluster through the Kubernetes API, a bounded number of
 * requests at a time. Namespaces go first (objects in a missing namespace are refused);
 * objects that already exist are left as they are, so a rerun with the same seed is harmless.
 */
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import type { ManifestObject } from "./scale";

export interface WriteResult {
  created: number;
  existing: number;
}

function statusOf(error: unknown): number | undefined {
  const candidate = error as { code?: unknown; statusCode?: unknown } | undefined;
  if (typeof candidate?.code === "number") return candidate.code;
  if (typeof candidate?.statusCode === "number") return candidate.statusCode;
  return undefined;
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export async function writeObjects(kubeconfigPath: string, objects: readonly ManifestObject[], concurrency = 16): Promise<WriteResult> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const result: WriteResult = { created: 0, existing: 0 };

  const create = async (object: ManifestObject): Promise<void> => {
    const namespace = object.metadata.namespace ?? "default";
    // client-node's typed bodies are classes; the API takes the same JSON shape we build.
    const body = object as never;
    try {
      switch (object.kind) {
        case "Namespace":
          await core.createNamespace({ body });
          break;
        case "Service":
          await core.createNamespacedService({ namespace, body });
          break;
        case "Deployment":
          await apps.createNamespacedDeployment({ namespace, body });
          break;
        case "DestinationRule":
        case "VirtualService":
        case "Gateway": {
          const [group = "", version = ""] = object.apiVersion.split("/");
          const plural = `${object.kind.toLowerCase()}s`;
          await custom.createNamespacedCustomObject({ group, version, namespace, plural, body: object });
          break;
        }
        default:
          throw new Error(`scale writer: kind ${object.kind} is not supported`);
      }
      result.created++;
    } catch (error) {
      if (statusOf(error) === 409) {
        result.existing++;
        return;
      }
      const what = `${object.kind} ${namespace}/${object.metadata.name}`;
      throw new Error(`creating ${what} failed: ${(error as Error).message}`);
    }
  };

  const namespaces = objects.filter((o) => o.kind === "Namespace");
  const rest = objects.filter((o) => o.kind !== "Namespace");
  await forEachLimited(namespaces, concurrency, create);
  await forEachLimited(rest, concurrency, create);
  return result;
}
