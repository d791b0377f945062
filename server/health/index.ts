/**
 * The console's readiness probes, wired to the configured Kubernetes API and Prometheus.
 */
import { getConfig } from "@/server/config";
import { createKubeClients, kubeCall } from "@/server/kube";
import { meshCaches } from "@/server/kube/informers";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import { createPrometheusClient, type PrometheusClient } from "@/server/prometheus/client";
import { checkReadiness, type Readiness } from "./readiness";

export type { Readiness, DependencyCheck } from "./readiness";

const PROBE_TIMEOUT_MS = 3_000;
let readinessPrometheus: PrometheusClient | undefined;

export function consoleReadiness(): Promise<Readiness> {
  const config = getConfig();
  return checkReadiness({
    kubernetes: async () => {
      // Built per probe so a kubeconfig fixed after start is picked up, and a broken one is reported, not thrown at start.
      const clients = createKubeClients(loadKubeConfig(config.kubernetes), Math.min(PROBE_TIMEOUT_MS, config.kubernetes.timeoutMs));
      const version = await kubeCall(clients, "version", "read its version", () => clients.version.getCode());
      return `Kubernetes ${version.gitVersion} at ${clients.apiServer}`;
    },
    prometheus: async () => {
      readinessPrometheus ??= createPrometheusClient({ ...config.prometheus, timeoutMs: Math.min(PROBE_TIMEOUT_MS, config.prometheus.timeoutMs) });
      await readinessPrometheus.queryData("vector(1)");
      return `Prometheus at ${config.prometheus.url}`;
    },
    caches: async () => {
      // Starts the watches if nothing has used them yet, so a fresh console warms up before its first page.
      const caches = meshCaches();
      await caches.ready(PROBE_TIMEOUT_MS);
      return `${caches.status().length} resources listed and watched`;
    },
  });
}
