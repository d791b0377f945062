/**
 * A demo whose parts can be stopped and started again on the same ports, for fault tests: the
 * Kubernetes API emulator (a restart re-seeds it from the manifests, with new resourceVersions, as
 * a real API server restored from an empty etcd would look to a client), Prometheus (same data),
 * and any number of consoles with their own settings.
 *
 * The consoles and the simulator get a kubeconfig over plain HTTP with fixed tokens: the emulator
 * makes a new TLS certificate at every start, and a console keeps the kubeconfig it read at start,
 * so an HTTPS kubeconfig would stop working after the first restart for a reason no real cluster has.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { consoleProcess, REPO_ROOT } from "./demo";
import { freePort } from "./ports";
import { startProcess, waitForHttp } from "./processes";
import { startPrometheus, type RunningPrometheus } from "./prometheus";

type Managed = ReturnType<typeof startProcess>;

export interface Restartable {
  url: string;
  port: number;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s); its port stays reserved for start(). */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers. */
  start(): Promise<void>;
}

export interface FaultDemo {
  kubeApi: Restartable;
  /** Plain-HTTP kubeconfig with the admin token, for consoles and test clients. */
  kubeconfig: string;
  adminToken: string;
  /** A kubeconfig like `kubeconfig` whose server is `server` (e.g. a proxy in front of the emulator). */
  kubeconfigVia(server: string): Promise<string>;
  prometheus: RunningPrometheus;
  /** Starts a console from the current build with these settings on top of the demo's. */
  startConsole(env?: Record<string, string>): Promise<Restartable>;
  /** Stops everything this demo started, consoles included. */
  stop(): Promise<void>;
}

function kubeconfigYaml(server: string, token: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    // client-node refuses plain-HTTP servers unless TLS checks are off; there is no TLS to check here.
    clusters: [{ name: "fault-demo", cluster: { server, "insecure-skip-tls-verify": true } }],
    users: [{ name: "admin", user: { token } }],
    contexts: [{ name: "fault-demo", context: { cluster: "fault-demo", user: "admin", namespace: "bookinfo" } }],
    "current-context": "fault-demo",
  });
}

function tsx(role: string, script: string, args: string[], log: "inherit" | "quiet"): Managed {
  return startProcess({ role, command: process.execPath, args: ["--import", "tsx", path.join(REPO_ROOT, script), ...args], cwd: REPO_ROOT, log });
}

function restartable(url: string, port: number, launch: () => Managed, readyPath: string, readyTimeoutMs: number): Restartable & { current(): Managed | undefined } {
  let managed: Managed | undefined;
  return {
    url,
    port,
    current: () => managed,
    async stop() {
      await managed?.stop();
      managed = undefined;
    },
    async start() {
      managed = launch();
      await waitForHttp(`${url}${readyPath}`, managed, readyTimeoutMs);
    },
  };
}

export async function startFaultDemo(options: { stateDir: string; scrapeIntervalSeconds: number; log: "inherit" | "quiet" }): Promise<FaultDemo> {
  await mkdir(options.stateDir, { recursive: true });
  const started: Restartable[] = [];
  let prometheus: RunningPrometheus | undefined;
  const stopAll = async () => {
    for (const item of started.reverse()) await item.stop();
    await prometheus?.stop();
  };

  try {
    const adminToken = randomBytes(24).toString("hex");
    const tokensFile = path.join(options.stateDir, "tokens.yaml");
    await writeFile(tokensFile, stringify({ users: [{ name: "admin", token: adminToken, role: "admin" }, { name: "viewer", token: randomBytes(24).toString("hex"), role: "viewer" }] }), { mode: 0o600 });

    const kubePort = await freePort();
    const kubeUrl = `http://127.0.0.1:${kubePort}`;
    const seed = path.join(REPO_ROOT, "demo", "manifests");
    const kubeApi = restartable(kubeUrl, kubePort, () => tsx("kube-api", "demo/kube-api/main.ts", ["--port", String(kubePort), "--seed", seed, "--tokens", tokensFile], options.log), "/version", 60_000);
    started.push(kubeApi);
    await kubeApi.start();

    const kubeconfigVia = async (server: string) => {
      const file = path.join(options.stateDir, `kubeconfig-${new URL(server).port}`);
      await writeFile(file, kubeconfigYaml(server, adminToken), { mode: 0o600 });
      return file;
    };
    const kubeconfig = await kubeconfigVia(kubeUrl);

    const simulatorPort = await freePort();
    const simulator = restartable(`http://127.0.0.1:${simulatorPort}`, simulatorPort, () => tsx("simulator", "demo/simulator/main.ts", ["--kubeconfig", kubeconfig, "--port", String(simulatorPort)], options.log), "/metrics", 60_000);
    started.push(simulator);
    await simulator.start();

    prometheus = await startPrometheus({
      port: await freePort(),
      scrapeIntervalSeconds: options.scrapeIntervalSeconds,
      targets: [{ job: "istio-mesh", address: `127.0.0.1:${simulatorPort}` }],
      log: options.log,
    });

    const startConsole = async (env: Record<string, string> = {}) => {
      const port = await freePort();
      const consoleEnv = { KUBECONFIG: kubeconfig, PROMETHEUS_URL: prometheus!.url, MESH_CONSOLE_PORT: String(port), ...env };
      const consoleServer = restartable(`http://127.0.0.1:${port}`, port, () => consoleProcess({ port, mode: "start", env: consoleEnv, log: options.log }), "/api/health", 60_000);
      started.push(consoleServer);
      await consoleServer.start();
      return consoleServer;
    };

    return { kubeApi, kubeconfig, adminToken, kubeconfigVia, prometheus, startConsole, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
