/**
 * Starts the whole demo: the Kubernetes API emulator seeded with the demo mesh, the traffic
 * simulator, a real Prometheus scraping it, and the console pointed at both. `npm run demo` and
 * the end-to-end tests both start it through here.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { distDir, prepareStandaloneServer, standaloneListenEnv } from "@/server/cli/standalone";
import { claimPorts } from "./ports";
import { startProcess, waitForHttp, type ManagedProcess } from "./processes";
import { startPrometheus, type RunningPrometheus } from "./prometheus";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..");

/** Istio's `workload:istio_*` recording rules, as the project ships them for any Prometheus. */
export const RECORDING_RULES_FILE = path.join(REPO_ROOT, "deploy", "prometheus", "istio-recording-rules.yaml");

export interface DemoPorts {
  console: number;
  prometheus: number;
  kubeApi: number;
  simulator: number;
}

export interface DemoOptions {
  /** Where the kubeconfig and endpoints.json are written. */
  stateDir: string;
  /** 0 picks any free port. */
  ports: DemoPorts;
  scrapeIntervalSeconds: number;
  /** Scale-mode spec for the simulator, e.g. "namespaces=50,services=20"; absent for Bookinfo. */
  scale?: string;
  /** Extra simulator flags, e.g. ["--edge-rps", "100"]. */
  simulatorArgs?: string[];
  /** "start" serves the production build, "dev" runs the development server, "none" runs no console. */
  consoleMode: "start" | "dev" | "none";
  consoleEnv?: Record<string, string>;
  log: "inherit" | "quiet";
  /** Gateway API CRDs (a YAML file or a directory of them) applied before the demo's manifests; without them the emulator's built-in Gateway API kinds serve. */
  gatewayApiCrds?: string;
  /** Load Istio's recommended recording rules (deploy/prometheus/istio-recording-rules.yaml) into Prometheus. */
  recordingRules?: boolean;
  /**
   * Scrape each proxy pod as its own target (the simulator's /sd/pods), as on a cluster, instead of
   * the simulator's one aggregate /metrics. Default: on.
   */
  podTargets?: boolean;
}

export interface DemoEndpoints {
  console: string | null;
  prometheus: string;
  kubeconfig: string;
  kubeApi: string;
  simulator: string;
}

export interface RunningDemo {
  endpoints: DemoEndpoints;
  prometheus: RunningPrometheus;
  processes: Record<"kubeApi" | "simulator" | "console", ManagedProcess | undefined>;
  stop(): Promise<void>;
}

function tsxProcess(role: string, script: string, args: string[], log: DemoOptions["log"]) {
  return startProcess({ role, command: process.execPath, args: ["--import", "tsx", path.join(REPO_ROOT, script), ...args], cwd: REPO_ROOT, log });
}

/**
 * "start" runs the build's standalone server, as the container image does (server/cli/standalone.ts);
 * "dev" runs `next dev`. Either listens on 127.0.0.1 unless `env` names another MESH_CONSOLE_ADDRESS.
 * `distDir` names the build "start" serves when it is not MESH_CONSOLE_DIST_DIR's (a benchmark comparing two builds).
 */
export function consoleProcess(options: { port: number; mode: "start" | "dev"; env: Record<string, string>; log: DemoOptions["log"]; distDir?: string }) {
  const address = options.env.MESH_CONSOLE_ADDRESS ?? "127.0.0.1";
  const base = { role: "console", command: process.execPath, cwd: REPO_ROOT, log: options.log };
  if (options.mode === "dev") {
    const nextBin = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
    return startProcess({ ...base, args: [nextBin, "dev", "--hostname", address, "--port", String(options.port)], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env } });
  }
  const buildDir = options.distDir ?? distDir();
  const server = prepareStandaloneServer(REPO_ROOT, buildDir);
  if (!server) throw new Error(`There is no standalone build in ${path.join(REPO_ROOT, buildDir)}; run \`npx next build\` first (scripts/ensure-build.sh does it when needed)`);
  return startProcess({ ...base, args: [server], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env, ...standaloneListenEnv(address, options.port) } });
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const ports = await claimPorts({
    console: { port: options.ports.console, role: "console", flag: "--port" },
    prometheus: { port: options.ports.prometheus, role: "Prometheus", flag: "--prometheus-port" },
    kubeApi: { port: options.ports.kubeApi, role: "Kubernetes API emulator", flag: "--kube-api-port" },
    simulator: { port: options.ports.simulator, role: "mesh simulator", flag: "--simulator-port" },
  });
  await mkdir(options.stateDir, { recursive: true });
  const kubeconfig = path.join(options.stateDir, "kubeconfig");
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const item of started.reverse()) await item.stop();
  };

  try {
    const kubeApiUrl = `http://127.0.0.1:${ports.kubeApi}`;
    const crdArgs = options.gatewayApiCrds ? ["--crds", path.resolve(REPO_ROOT, options.gatewayApiCrds)] : [];
    const kubeApi = tsxProcess("kube-api", "demo/kube-api/main.ts", ["--port", String(ports.kubeApi), ...crdArgs, "--seed", path.join(REPO_ROOT, "demo", "manifests"), "--kubeconfig", kubeconfig], options.log);
    started.push(kubeApi);
    await waitForHttp(`${kubeApiUrl}/version`, kubeApi, 60_000);

    const simulatorUrl = `http://127.0.0.1:${ports.simulator}`;
    const simulatorArgs = ["--kubeconfig", kubeconfig, "--port", String(ports.simulator)];
    if (options.scale) simulatorArgs.push("--scale", options.scale);
    simulatorArgs.push(...(options.simulatorArgs ?? []));
    const simulator = tsxProcess("simulator", "demo/simulator/main.ts", simulatorArgs, options.log);
    started.push(simulator);
    await waitForHttp(`${simulatorUrl}/metrics`, simulator, options.scale ? 300_000 : 60_000);

    const prometheus = await startPrometheus({
      port: ports.prometheus,
      scrapeIntervalSeconds: options.scrapeIntervalSeconds,
      targets: [
        options.podTargets === false
          ? { job: "istio-mesh", address: `127.0.0.1:${ports.simulator}` }
          : { job: "kubernetes-pods", address: `127.0.0.1:${ports.simulator}`, httpSdUrl: `${simulatorUrl}/sd/pods` },
        { job: "istiod", address: `127.0.0.1:${ports.simulator}`, metricsPath: "/istiod/metrics", labels: { app: "istiod", namespace: "istio-system" } },
        ...(options.consoleMode === "none" ? [] : [{ job: "mesh-console", address: `127.0.0.1:${ports.console}` }]),
      ],
      ruleFiles: options.recordingRules ? [RECORDING_RULES_FILE] : [],
      log: options.log === "inherit" ? "inherit" : "quiet",
    });
    started.push(prometheus);

    let consoleUrl: string | null = null;
    let consoleChild: ManagedProcess | undefined;
    if (options.consoleMode !== "none") {
      consoleUrl = `http://127.0.0.1:${ports.console}`;
      const child = consoleProcess({
        port: ports.console,
        mode: options.consoleMode,
        env: { KUBECONFIG: kubeconfig, PROMETHEUS_URL: prometheus.url, MESH_CONSOLE_PORT: String(ports.console), ...options.consoleEnv },
        log: options.log,
      });
      started.push(child);
      consoleChild = child;
      await waitForHttp(`${consoleUrl}/api/health`, child, options.consoleMode === "dev" ? 180_000 : 60_000);
    }

    const endpoints: DemoEndpoints = { console: consoleUrl, prometheus: prometheus.url, kubeconfig, kubeApi: kubeApiUrl, simulator: simulatorUrl };
    await writeFile(path.join(options.stateDir, "endpoints.json"), `${JSON.stringify(endpoints, null, 2)}\n`);
    return { endpoints, prometheus, processes: { kubeApi, simulator, console: consoleChild }, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
