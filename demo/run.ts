/**
 * `npm run demo`: the simulated mesh and the console, all on 127.0.0.1.
 *
 *   npm run demo -- [--port 20001] [--prometheus-port 20090] [--kube-api-port 20080]
 *                   [--simulator-port 20091] [--scrape-interval 5] [--scale namespaces=50,services=20]
 *                   [--gateway-api-crds FILE_OR_DIR] [--recording-rules] [--no-pod-targets] [--dev]
 *
 * Ctrl-C (or SIGTERM) stops every process it started.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT, startDemo, type RunningDemo } from "./orchestrate/demo";

function portOption(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${flag}: expected a port number from 0 to 65535 (0 picks a free one), got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "prometheus-port": { type: "string" },
      "kube-api-port": { type: "string" },
      "simulator-port": { type: "string" },
      "scrape-interval": { type: "string" },
      scale: { type: "string" },
      "gateway-api-crds": { type: "string" },
      "recording-rules": { type: "boolean", default: false },
      "no-pod-targets": { type: "boolean", default: false },
      dev: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log("Usage: npm run demo -- [--port N] [--prometheus-port N] [--kube-api-port N] [--simulator-port N] [--scrape-interval SECONDS] [--scale namespaces=50,services=20,versions=1,fanout=5,replicas=1] [--gateway-api-crds FILE_OR_DIR] [--recording-rules] [--no-pod-targets] [--dev]");
    return;
  }
  const scrapeInterval = Number(values["scrape-interval"] ?? "5");
  if (!Number.isInteger(scrapeInterval) || scrapeInterval < 1 || scrapeInterval > 60) {
    console.error(`--scrape-interval: expected whole seconds from 1 to 60, got ${JSON.stringify(values["scrape-interval"])}`);
    process.exit(2);
  }

  const stateDir = path.join(REPO_ROOT, ".demo");
  const running: { demo?: RunningDemo } = {};
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping the demo…`);
    await running.demo?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  console.error("Starting the demo mesh: Kubernetes API emulator, mesh simulator, Prometheus and the console…");
  const demo = await startDemo({
    stateDir,
    ports: {
      console: portOption(values.port, "--port", 20001),
      prometheus: portOption(values["prometheus-port"], "--prometheus-port", 20090),
      kubeApi: portOption(values["kube-api-port"], "--kube-api-port", 20080),
      simulator: portOption(values["simulator-port"], "--simulator-port", 20091),
    },
    scrapeIntervalSeconds: scrapeInterval,
    scale: values.scale,
    gatewayApiCrds: values["gateway-api-crds"] === undefined ? undefined : path.resolve(process.cwd(), values["gateway-api-crds"]),
    recordingRules: values["recording-rules"],
    podTargets: !values["no-pod-targets"],
    consoleMode: values.dev ? "dev" : "start",
    log: "inherit",
  });
  running.demo = demo;
  const { endpoints } = demo;
  console.log(
    [
      "",
      "The demo is running:",
      `  console             ${endpoints.console}`,
      `  Prometheus          ${endpoints.prometheus}${values["recording-rules"] ? "  (with Istio's recording rules)" : ""}`,
      `  Kubernetes API      ${endpoints.kubeApi}  (kubectl --kubeconfig ${path.relative(process.cwd(), endpoints.kubeconfig)} get vs -A)`,
      `  mesh simulator      ${endpoints.simulator}/metrics`,
      `  endpoints           ${path.relative(process.cwd(), path.join(stateDir, "endpoints.json"))}`,
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
  for (const [role, managed] of Object.entries(demo.processes)) {
    void managed?.exited.then((code) => {
      if (!stopping) {
        console.error(`The ${role} exited unexpectedly (code ${code}); stopping the demo.`);
        void stop("exit");
      }
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
