/**
 * `mesh-console dashboard`: opens the console that runs in the cluster, the way
 * `istioctl dashboard kiali` does: port-forward to the console Service's pod through the API
 * server with your kubeconfig's credentials, print the local URL, open a browser, and keep
 * forwarding until Ctrl-C. The Service is found by the label every overlay of deploy/ gives it, so
 * an overlay may rename it or install it in any namespace.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { isDns1123Label } from "@/lib/kubeNames";
import { createKubeClients, KubeError, kubeCall, type KubeClients } from "@/server/kube";
import { KubeConfigError, loadKubeConfig } from "@/server/kube/kubeconfig";
import { findServiceBackend, PortForwardError, startLocalForward, type LocalForward } from "./portForward";

export const CONSOLE_SERVICE = "mesh-console";
/** Where the console's manifests install it, then the namespace its name suggests. */
export const DEFAULT_CONSOLE_NAMESPACES = ["istio-system", "mesh-console"];
/** The label deploy/base puts on every object of the console, its Service included. */
export const CONSOLE_LABEL = { key: "app.kubernetes.io/name", value: "mesh-console" } as const;
export const CONSOLE_SERVICE_SELECTOR = `${CONSOLE_LABEL.key}=${CONSOLE_LABEL.value}`;

export const DASHBOARD_USAGE = `Usage: mesh-console dashboard [options]

Opens the console running in the cluster: finds its Service by the label ${CONSOLE_SERVICE_SELECTOR}
(whichever overlay of deploy/ installed it), port-forwards to a ready pod behind it with your
kubeconfig's credentials (they need create on pods/portforward), prints the local URL and opens a
browser. Ctrl-C stops forwarding.
  --namespace NS       where the console is (default: every namespace you may list Services in)
  --service NAME       which Service, when one namespace holds more than one console
  --port N             local port (default 0: any free port)
  --address ADDR       local address (default 127.0.0.1)
  --browser=false      only print the URL
  --context NAME       kubeconfig context (default: the current one)
  --kubeconfig FILE    kubeconfig file (default: KUBECONFIG or ~/.kube/config)`;

export interface DashboardOptions {
  /** Only this namespace; every namespace when unset. */
  namespace?: string;
  /** Only the Service of this name. */
  service?: string;
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
        service: { type: "string" },
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
  if (values.service !== undefined && !isDns1123Label(values.service)) throw new UsageError(`--service: ${JSON.stringify(values.service)} is not a valid Service name`);
  if (!/^[A-Za-z0-9.:-]+$/.test(values.address ?? "")) throw new UsageError(`--address: expected an IP address or host name, got ${JSON.stringify(values.address)}`);
  return {
    namespace: values.namespace,
    service: values.service,
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

export interface ConsoleService {
  namespace: string;
  name: string;
}

export type ConsoleServiceChoice = { found: ConsoleService } | { problem: string };

/**
 * Which console to open among the Services that carry the console's label: exactly one, or a
 * message that says what was searched and how to choose. Pure, for the test.
 */
export function chooseConsoleService(services: readonly ConsoleService[], where: { namespace?: string; service?: string }): ConsoleServiceChoice {
  const candidates = services.filter((service) => (where.namespace === undefined || service.namespace === where.namespace) && (where.service === undefined || service.name === where.service));
  const scope = where.namespace ? `in namespace ${where.namespace}` : "in any namespace you may list Services in";
  const named = where.service ? ` named ${where.service}` : "";
  if (candidates.length === 1 && candidates[0]) return { found: candidates[0] };
  if (candidates.length === 0) {
    return {
      problem: `No console Service${named} (labelled ${CONSOLE_SERVICE_SELECTOR}) ${scope}: install the console with one of deploy/'s overlays (kubectl apply -k deploy/overlays/token), or name its namespace with --namespace`,
    };
  }
  const list = candidates.map((service) => `${service.namespace}/${service.name}`).join(", ");
  const hint = new Set(candidates.map((service) => service.namespace)).size > 1 ? "choose one with --namespace" : "choose one with --service";
  return { problem: `${candidates.length} consoles (Services labelled ${CONSOLE_SERVICE_SELECTOR}) ${scope}: ${list}; ${hint}` };
}

async function listConsoleServices(clients: KubeClients, namespace: string): Promise<ConsoleService[]> {
  try {
    const list = await kubeCall(clients, "list-services", `list Services in ${namespace}`, () => clients.core.listNamespacedService({ namespace, labelSelector: CONSOLE_SERVICE_SELECTOR }));
    return list.items.map((service) => ({ namespace, name: service.metadata?.name ?? "" }));
  } catch (error) {
    if (error instanceof KubeError && (error.failure === "forbidden" || error.failure === "not-found")) return [];
    throw error;
  }
}

/**
 * The Services labelled as the console, across every namespace, or, when the kubeconfig's user may
 * not list Services cluster-wide, in `namespace` or the usual ones. A Service named mesh-console in
 * the usual namespaces counts too, for consoles installed before the label existed.
 */
export async function findConsoleServices(clients: KubeClients, namespace?: string): Promise<ConsoleService[]> {
  let labelled: ConsoleService[] | undefined;
  if (!namespace) {
    try {
      const list = await kubeCall(clients, "list-services", "list Services in all namespaces", () => clients.core.listServiceForAllNamespaces({ labelSelector: CONSOLE_SERVICE_SELECTOR }));
      labelled = list.items.map((service) => ({ namespace: service.metadata?.namespace ?? "", name: service.metadata?.name ?? "" }));
    } catch (error) {
      if (!(error instanceof KubeError && error.failure === "forbidden")) throw error;
    }
  }
  const namespaces = namespace ? [namespace] : DEFAULT_CONSOLE_NAMESPACES;
  labelled ??= (await Promise.all(namespaces.map((each) => listConsoleServices(clients, each)))).flat();
  if (labelled.length > 0) return labelled;
  const unlabelled: ConsoleService[] = [];
  for (const each of namespaces) {
    try {
      await kubeCall(clients, "read-service", `read Service ${each}/${CONSOLE_SERVICE}`, () => clients.core.readNamespacedService({ namespace: each, name: CONSOLE_SERVICE }));
      unlabelled.push({ namespace: each, name: CONSOLE_SERVICE });
    } catch (error) {
      if (!(error instanceof KubeError && (error.failure === "not-found" || error.failure === "forbidden"))) throw error;
    }
  }
  return unlabelled;
}

export async function startDashboard(options: DashboardOptions, log: (line: string) => void = console.error): Promise<LocalForward> {
  const clients = cliKubeClients(options);
  const find = async () => {
    const choice = chooseConsoleService(await findConsoleServices(clients, options.namespace), { namespace: options.namespace, service: options.service });
    if ("problem" in choice) throw new PortForwardError(choice.problem);
    return findServiceBackend(clients, [choice.found.namespace], choice.found.name);
  };
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
