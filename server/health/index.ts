/**
 * The console's readiness probes, asked with the console's own clients: the same Kubernetes
 * identity and Prometheus client every page uses, so a probe says whether those work, and an
 * unauthenticated probe cannot make the console load a kubeconfig or open new connections per call.
 */
import { getConfig } from "@/server/config";
import { consoleKube, kubeCall } from "@/server/kube";
import { meshCaches } from "@/server/kube/informers";
import { prometheus } from "@/server/prometheus";
import { checkReadiness, type Readiness } from "./readiness";

export type { Readiness, DependencyCheck } from "./readiness";
export { readinessForVisitor } from "./readiness";

const PROBE_TIMEOUT_MS = 3_000;

export function consoleReadiness(): Promise<Readiness> {
  const config = getConfig();
  return checkReadiness(
    {
      kubernetes: async () => {
        const clients = consoleKube();
        const version = await kubeCall(clients, "version", "read its version", () => clients.version.getCode());
        return `Kubernetes ${version.gitVersion} at ${clients.apiServer}`;
      },
      prometheus: async () => {
        await prometheus().queryData("vector(1)");
        return `Prometheus at ${config.prometheus.url}`;
      },
      caches: async () => {
        // Starts the watches if nothing has used them yet, so a fresh console warms up before its first page.
        const caches = meshCaches();
        await caches.ready(PROBE_TIMEOUT_MS);
        return `${caches.status().length} resources listed and watched`;
      },
    },
    {
      // The shared clients keep their own, longer limits for pages; a probe answers sooner.
      kubernetes: { ms: PROBE_TIMEOUT_MS, describe: () => `Kubernetes API at ${consoleKube().apiServer} did not answer within ${PROBE_TIMEOUT_MS / 1000} s` },
      prometheus: { ms: PROBE_TIMEOUT_MS, describe: () => `Prometheus at ${config.prometheus.url} did not answer within ${PROBE_TIMEOUT_MS / 1000} s` },
    },
  );
}
