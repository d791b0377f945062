/**
 * The console's Kubernetes access. `consoleKube()` is the console's own identity (kubeconfig or
 * in-cluster service account), one set of clients per process. `kube()` is the identity of the
 * request being served: with token sign-in, the clients built for the signed-in person's token, so
 * Kubernetes RBAC decides what they may read and change; otherwise the console's own.
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#putting-a-bearer-token-in-a-request
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { AppsV1Api, AuthorizationV1Api, CoreV1Api, CustomObjectsApi, VersionApi, type KubeConfig } from "@kubernetes/client-node";
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
  /** Access reviews: asking Kubernetes whether a request would be allowed, without making it. */
  authorization: AuthorizationV1Api;
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
    authorization: kubeConfig.makeApiClient(AuthorizationV1Api),
  };
}

const globalKey = Symbol.for("mesh-console.kube");
const requestKey = Symbol.for("mesh-console.kube.request");
type GlobalWithKube = typeof globalThis & { [globalKey]?: KubeClients; [requestKey]?: AsyncLocalStorage<KubeClients> };

/** One store per process: Next bundles routes separately, and every bundle must see the same one. */
function requestClients(): AsyncLocalStorage<KubeClients> {
  const holder = globalThis as GlobalWithKube;
  holder[requestKey] ??= new AsyncLocalStorage<KubeClients>();
  return holder[requestKey];
}

/** The console's own identity. Process-wide caches (watches) must use this one, never a person's. */
export function consoleKube(): KubeClients {
  const holder = globalThis as GlobalWithKube;
  if (!holder[globalKey]) {
    const settings = getConfig().kubernetes;
    holder[globalKey] = createKubeClients(loadKubeConfig(settings), settings.timeoutMs);
  }
  return holder[globalKey];
}

/** The identity of the request being served (see the module comment); the console's own outside a request. */
export function kube(): KubeClients {
  return requestClients().getStore() ?? consoleKube();
}

/**
 * The signed-in person's clients when the request runs with them (token sign-in), else undefined:
 * for checks that must never fall back to the console's own identity (server/auth/namespaceAccess.ts).
 */
export function requestKube(): KubeClients | undefined {
  return requestClients().getStore();
}

/** Runs `work` with `kube()` answering `clients`: how a signed-in person's requests use their own token. */
export function withKubeClients<T>(clients: KubeClients, work: () => T): T {
  return requestClients().run(clients, work);
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
