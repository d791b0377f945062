/**
 * `mesh-console serve` without a Prometheus URL: Istio's sample addon installs Prometheus as the
 * Service `prometheus` on port 9090 in `istio-system`, so find it there (or where the flags say)
 * and port-forward to it, the way `istioctl dashboard prometheus` does.
 * https://istio.io/latest/docs/ops/integrations/prometheus/#option-1-quick-start
 */
import { cliKubeClients } from "./dashboard";
import { findServiceBackend, startLocalForward, type LocalForward } from "./portForward";

export interface PrometheusLocation {
  namespace: string;
  service: string;
  port: number;
}

export const DEFAULT_PROMETHEUS: PrometheusLocation = { namespace: "istio-system", service: "prometheus", port: 9090 };

/** The `--prometheus-namespace/-service/-port` flags, already turned into variables by serveArgs. */
export function prometheusLocation(env: Record<string, string | undefined>): PrometheusLocation {
  const port = Number(env.MESH_CONSOLE_PROMETHEUS_SERVICE_PORT || DEFAULT_PROMETHEUS.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--prometheus-port: expected 1 to 65535, got ${JSON.stringify(env.MESH_CONSOLE_PROMETHEUS_SERVICE_PORT)}`);
  return {
    namespace: env.MESH_CONSOLE_PROMETHEUS_NAMESPACE || DEFAULT_PROMETHEUS.namespace,
    service: env.MESH_CONSOLE_PROMETHEUS_SERVICE || DEFAULT_PROMETHEUS.service,
    port,
  };
}

export async function forwardToClusterPrometheus(env: Record<string, string | undefined>, log: (line: string) => void): Promise<LocalForward> {
  const location = prometheusLocation(env);
  const clients = cliKubeClients({ kubeconfig: env.KUBECONFIG, context: env.KUBE_CONTEXT });
  const find = () => findServiceBackend(clients, [location.namespace], location.service, location.port);
  const backend = await find();
  const forward = await startLocalForward(clients.kubeConfig, backend, { address: "127.0.0.1", port: 0, onForwardError: (error) => log(`mesh-console: Prometheus ${error.message}`), refresh: find });
  log(`mesh-console: no PROMETHEUS_URL given; using Service ${location.namespace}/${location.service} through a port-forward to pod ${backend.pod} at ${forward.url}`);
  return forward;
}
