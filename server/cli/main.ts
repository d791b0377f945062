/**
 * The `mesh-console` command.
 *   mesh-console serve [options]           run the console locally (see `mesh-console serve --help`)
 *   mesh-console validate -f <path>… [-o json]  check Istio config offline, like `istioctl analyze` on files
 *   mesh-console dashboard [options]       open the console running in the cluster through a port-forward
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { parseConfig } from "@/server/config/schema";
import { runValidateCommand } from "@/server/validation/cli";
import { runDashboardCommand } from "./dashboard";
import type { LocalForward } from "./portForward";
import { SERVE_USAGE, serveEnvironment } from "./serveArgs";
import { forwardToClusterPrometheus } from "./servePrometheus";
import { prepareStandaloneServer, standaloneListenEnv } from "./standalone";

const PACKAGE_ROOT = path.resolve(import.meta.dirname, "..", "..");
const USAGE = `Usage: mesh-console <command> [options]

Commands:
  serve     run the console locally against your kubeconfig's cluster
  validate  check Istio config in YAML files offline; exits 1 on an error finding
  dashboard open the console running in the cluster (port-forward and browser)

Run 'mesh-console <command> --help' for a command's options.`;

async function serve(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(SERVE_USAGE);
    return 0;
  }
  let env: NodeJS.ProcessEnv;
  try {
    env = { ...process.env, ...serveEnvironment(argv) };
    parseConfig(env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 2;
  }
  let prometheusForward: LocalForward | undefined;
  if (!env.PROMETHEUS_URL) {
    try {
      prometheusForward = await forwardToClusterPrometheus(env, (line) => console.error(line));
      env.PROMETHEUS_URL = prometheusForward.url;
    } catch (error) {
      console.error(`mesh-console: no PROMETHEUS_URL given and the cluster's Prometheus could not be reached (${error instanceof Error ? error.message : String(error)}); using http://127.0.0.1:9090. Pass --prometheus-url to choose one.`);
    }
  }
  const config = parseConfig(env);
  // The standalone build is what the container image runs; `next start` only when there is none.
  const standalone = prepareStandaloneServer(PACKAGE_ROOT, ".next");
  const command = standalone
    ? [standalone]
    : [path.join(PACKAGE_ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "--hostname", config.listen.address, "--port", String(config.listen.port)];
  const child = spawn(process.execPath, command, {
    cwd: PACKAGE_ROOT,
    stdio: "inherit",
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1", ...standaloneListenEnv(config.listen.address, config.listen.port) },
  });
  console.error(`mesh-console: serving on http://${config.listen.address}:${config.listen.port}${config.basePath}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      void prometheusForward?.close();
      resolve(code ?? 1);
    }),
  );
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      return serve(rest);
    case "dashboard":
      return runDashboardCommand(rest);
    case "validate":
      return runValidateCommand(rest, { stdout: process.stdout, stderr: process.stderr });
    case undefined:
    case "--help":
    case "-h":
      console.log(USAGE);
      return command ? 0 : 2;
    default:
      console.error(`mesh-console: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
