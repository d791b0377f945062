/**
 * `mesh-console dashboard`: opens the console that runs in the cluster, the way
 * `istioctl dashboard kiali` does: port-forward to the `mesh-console` Service's pod through the
 * API server with your kubeconfig's credentials, print the local URL, open a browser, and keep
 * forwarding until Ctrl-C.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { isDns1123Label } from "@/lib/kubeNames";
import { createKubeClients, type KubeClients } from "@/server/kube";
import { KubeConfigError, loadKubeConfig } from "@/server/kube/kubeconfig";
import { findServiceBackend, startLocalForward, type LocalForward } from "./portForward";

export const CONSOLE_SERVICE = "mesh-console";
/** Where the console's manifest installs it, then the namespace its name suggests. */
export const DEFAULT_CONSOLE_NAMESPACES = ["istio-system", "mesh-console"];

export const DASHBOARD_USAGE = `Usage: mesh-console dashboard [options]

Opens the console running in the cluster: port-forwards to a ready pod of the mesh-console Service
with your kubeconfig's credentials (they need create on pods/portforward), prints the local URL and
opens a browser. Ctrl-C stops forwarding.
  --namespace NS       where the mesh-console Service is (default: searches ${DEFAULT_CONSOLE_NAMESPACES.join(", ")})
  --port N             local port (default 0: any free port)
  --address ADDR       local address (default 127.0.0.1)
  --browser=false      only print the URL
  --context NAME       kubeconfig context (default: the current one)
  --kubeconfig FILE    kubeconfig file (default: KUBECONFIG or ~/.kube/config)`;

export interface DashboardOptions {
  namespaces: string[];
  port: number;
  address: string;
  browser: boolean;
  context?: string;
  kubeconfig?: string;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** `--browser` and `--no-browser` read as `--browser=true|false`, which parseArgs cannot do for booleans. */
function normaliseBrowserFlag(argv: readonly string[]): string[] {
  return argv.map((arg) => (arg === "--browser" ? "--browser=true" : arg === "--no-browser" ? "--browser=false" : arg));
}

export function parseDashboardArgs(argv: readonly string[]): DashboardOptions {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: normaliseBrowserFlag(argv),
      options: {
        namespace: { type: "string", short: "n" },
        port: { type: "string", default: "0" },
        address: { type: "string", default: "127.0.0.1" },
        browser: { type: "string", default: "true" },
        context: { type: "string" },
        kubeconfig: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? "") || port > 65535) throw new UsageError(`--port: expected 0 (any free port) to 65535, got ${JSON.stringify(values.port)}`);
  if (values.browser !== "true" && values.browser !== "false") throw new UsageError(`--browser: expected true or false, got ${JSON.stringify(values.browser)}`);
  if (values.namespace !== undefined && !isDns1123Label(values.namespace)) throw new UsageError(`--namespace: ${JSON.stringify(values.namespace)} is not a valid namespace name`);
  if (!/^[A-Za-z0-9.:-]+$/.test(values.address ?? "")) throw new UsageError(`--address: expected an IP address or host name, got ${JSON.stringify(values.address)}`);
  return {
    namespaces: values.namespace ? [values.namespace] : DEFAULT_CONSOLE_NAMESPACES,
    port,
    address: values.address ?? "127.0.0.1",
    browser: values.browser === "true",
    context: values.context,
    kubeconfig: values.kubeconfig,
  };
}

/** The kubeconfig's clients for a CLI command, with a clear error when there is no kubeconfig. */
export function cliKubeClients(options: { kubeconfig?: string; context?: string }): KubeClients {
  const kubeconfigPath = options.kubeconfig ?? process.env.KUBECONFIG;
  if (!kubeconfigPath && !existsSync(path.join(os.homedir(), ".kube", "config"))) {
    throw new KubeConfigError("No kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config (e.g. with your cloud's get-credentials command)");
  }
  // client-node's loader reads KUBECONFIG itself.
  if (options.kubeconfig) process.env.KUBECONFIG = options.kubeconfig;
  return createKubeClients(loadKubeConfig({ source: "kubeconfig", kubeconfigPath, context: options.context, timeoutMs: 10_000 }), 10_000);
}

/** Opens the URL in the desktop's browser; a missing opener (a server, CI) is not an error. */
export function openBrowser(url: string): void {
  const [command, args] = process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: "ignore" });
    child.on("error", () => console.error(`mesh-console: could not open a browser; open ${url} yourself`));
    child.unref();
  } catch {
    console.error(`mesh-console: could not open a browser; open ${url} yourself`);
  }
}

export async function startDashboard(options: DashboardOptions, log: (line: string) => void = console.error): Promise<LocalForward> {
  const clients = cliKubeClients(options);
  const find = () => findServiceBackend(clients, options.namespaces, CONSOLE_SERVICE);
  const backend = await find();
  const forward = await startLocalForward(clients.kubeConfig, backend, {
    address: options.address,
    port: options.port,
    onForwardError: (error) => log(`mesh-console: ${error.message}`),
    refresh: find,
  });
  log(`mesh-console: forwarding ${forward.url} to pod ${backend.namespace}/${backend.pod} port ${backend.podPort} (Service ${backend.service}); Ctrl-C stops`);
  return forward;
}

export async function runDashboardCommand(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(DASHBOARD_USAGE);
    return 0;
  }
  let forward: LocalForward;
  try {
    const options = parseDashboardArgs(argv);
    forward = await startDashboard(options);
    // The URL alone on stdout, so scripts can read it.
    console.log(forward.url);
    if (options.browser) openBrowser(forward.url);
  } catch (error) {
    console.error(`mesh-console dashboard: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof UsageError) console.error(`\n${DASHBOARD_USAGE}`);
    return error instanceof UsageError ? 2 : 1;
  }
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  await forward.close();
  return 0;
}
