/**
 * The console's Kubernetes access: one set of API clients per process, built from the configuration.
 */
import { AppsV1Api, CoreV1Api, CustomObjectsApi, VersionApi, type KubeConfig } from "@kubernetes/client-node";
import { getConfig } from "@/server/config";
import { observeUpstream } from "@/server/metrics";
import { KubeError, toKubeError } from "./errors";
import { loadKubeConfig } from "./kubeconfig";

export { KubeError } from "./errors";
export { KubeConfigError } from "./kubeconfig";

export interface KubeClients {
  kubeConfig: KubeConfig;
  apiServer: string;
  timeoutMs: number;
  core: CoreV1Api;
  apps: AppsV1Api;
  custom: CustomObjectsApi;
  version: VersionApi;
}

export function createKubeClients(kubeConfig: KubeConfig, timeoutMs: number): KubeClients {
  return {
    kubeConfig,
    apiServer: kubeConfig.getCurrentCluster()?.server ?? "(unknown)",
    timeoutMs,
    core: kubeConfig.makeApiClient(CoreV1Api),
    apps: kubeConfig.makeApiClient(AppsV1Api),
    custom: kubeConfig.makeApiClient(CustomObjectsApi),
    version: kubeConfig.makeApiClient(VersionApi),
  };
}

const globalKey = Symbol.for("mesh-console.kube");
type GlobalWithKube = typeof globalThis & { [globalKey]?: KubeClients };

export function kube(): KubeClients {
  const holder = globalThis as GlobalWithKube;
  if (!holder[globalKey]) {
    const settings = getConfig().kubernetes;
    holder[globalKey] = createKubeClients(loadKubeConfig(settings), settings.timeoutMs);
  }
  return holder[globalKey];
}

/**
 * Runs one Kubernetes call with the configured time limit, recording it in the console's metrics
 * and turning any failure into a KubeError that says what was being done.
 */
export async function kubeCall<T>(clients: KubeClients, operation: string, doing: string, call: () => Promise<T>): Promise<T> {
  return observeUpstream(
    "kubernetes",
    operation,
    async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new KubeError("timeout", `Kubernetes API at ${clients.apiServer} did not answer within ${clients.timeoutMs / 1000} s to ${doing}`, 504)), clients.timeoutMs);
      });
      try {
        return await Promise.race([call(), timeout]);
      } catch (error) {
        throw toKubeError(error, doing, clients.apiServer);
      } finally {
        clearTimeout(timer);
      }
    },
    (error) => (error instanceof KubeError ? error.failure : "unknown"),
  );
}
