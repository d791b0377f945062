/**
 * `mesh-console serve` flags, turned into the environment variables the server reads, so a flag
 * and its variable always mean the same thing.
 */
import { parseArgs } from "node:util";

const FLAG_TO_ENV = {
  context: "KUBE_CONTEXT",
  kubeconfig: "KUBECONFIG",
  "prometheus-url": "PROMETHEUS_URL",
  "prometheus-token-file": "PROMETHEUS_BEARER_TOKEN_FILE",
  "prometheus-ca-file": "PROMETHEUS_CA_FILE",
  "prometheus-headers": "PROMETHEUS_HEADERS",
  address: "MESH_CONSOLE_ADDRESS",
  port: "MESH_CONSOLE_PORT",
  "base-path": "MESH_CONSOLE_BASE_PATH",
  auth: "MESH_CONSOLE_AUTH",
  "allowed-hosts": "MESH_CONSOLE_ALLOWED_HOSTS",
  "trusted-proxies": "MESH_CONSOLE_TRUSTED_PROXIES",
  "health-thresholds": "MESH_CONSOLE_HEALTH_THRESHOLDS",
  refresh: "MESH_CONSOLE_REFRESH",
  window: "MESH_CONSOLE_WINDOW",
  // Where to find Prometheus in the cluster when no URL is given (see servePrometheus.ts).
  "prometheus-namespace": "MESH_CONSOLE_PROMETHEUS_NAMESPACE",
  "prometheus-service": "MESH_CONSOLE_PROMETHEUS_SERVICE",
  "prometheus-port": "MESH_CONSOLE_PROMETHEUS_SERVICE_PORT",
} as const;

const BOOLEAN_FLAG_TO_ENV = {
  "view-only": "MESH_CONSOLE_VIEW_ONLY",
  "prometheus-insecure-skip-verify": "PROMETHEUS_INSECURE_SKIP_VERIFY",
  "allow-anonymous-on-any-address": "MESH_CONSOLE_ALLOW_ANONYMOUS_ON_ANY_ADDRESS",
} as const;

export const SERVE_USAGE = `Usage: mesh-console serve [options]

Runs the console locally against the kubeconfig's cluster (or in a pod, its service account).
  --context NAME                kubeconfig context (default: the current one)         KUBE_CONTEXT
  --kubeconfig FILE             kubeconfig file                                       KUBECONFIG
  --prometheus-url URL          Prometheus, Thanos, Mimir or VictoriaMetrics API      PROMETHEUS_URL
                                (none: port-forward to the cluster's Prometheus Service, below)
  --prometheus-namespace NS     its namespace (default istio-system)                  MESH_CONSOLE_PROMETHEUS_NAMESPACE
  --prometheus-service NAME     its Service (default prometheus)                      MESH_CONSOLE_PROMETHEUS_SERVICE
  --prometheus-port N           its Service port (default 9090)                       MESH_CONSOLE_PROMETHEUS_SERVICE_PORT
  --prometheus-token-file FILE  bearer token for Prometheus                           PROMETHEUS_BEARER_TOKEN_FILE
  --prometheus-ca-file FILE     CA bundle for Prometheus over HTTPS                   PROMETHEUS_CA_FILE
  --prometheus-headers "A: b"   extra headers, ';'-separated                          PROMETHEUS_HEADERS
  --prometheus-insecure-skip-verify                                                   PROMETHEUS_INSECURE_SKIP_VERIFY
  --address ADDR                listen address (default 127.0.0.1)                    MESH_CONSOLE_ADDRESS
  --port N                      listen port (default 20001)                           MESH_CONSOLE_PORT
  --base-path /PATH             serve under a path prefix (needs a matching build)    MESH_CONSOLE_BASE_PATH
  --auth anonymous|token        who the console acts as (default anonymous)           MESH_CONSOLE_AUTH
  --allowed-hosts a.example,…   names it answers to besides localhost (proxy, Ingress) MESH_CONSOLE_ALLOWED_HOSTS
  --trusted-proxies 10.0.0.0/8  proxies whose X-Forwarded-For tells clients apart     MESH_CONSOLE_TRUSTED_PROXIES
  --view-only                   disable every change to the mesh                      MESH_CONSOLE_VIEW_ONLY
  --health-thresholds RULES     health rules, e.g. "http:4xx=10%/-" (README: Health)  MESH_CONSOLE_HEALTH_THRESHOLDS
  --refresh off|5s|10s|30s|1m   default refresh interval                              MESH_CONSOLE_REFRESH
  --window 5m|1h|…              default time window                                   MESH_CONSOLE_WINDOW`;

export function serveEnvironment(argv: string[]): Record<string, string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.keys(FLAG_TO_ENV).map((flag) => [flag, { type: "string" as const }])),
      ...Object.fromEntries(Object.keys(BOOLEAN_FLAG_TO_ENV).map((flag) => [flag, { type: "boolean" as const }])),
    },
    strict: true,
    allowPositionals: false,
  });
  const env: Record<string, string> = {};
  for (const [flag, name] of Object.entries(FLAG_TO_ENV)) {
    const value = values[flag];
    if (typeof value === "string") env[name] = value;
  }
  for (const [flag, name] of Object.entries(BOOLEAN_FLAG_TO_ENV)) {
    if (values[flag] === true) env[name] = "true";
  }
  return env;
}
