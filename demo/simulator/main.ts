/**
 * CLI: npx tsx demo/simulator/main.ts --kubeconfig PATH [--host 127.0.0.1] [--port 20091]
 *   [--edge-rps 20] [--jason-share 0.1] [--tick-ms 1000] [--seed N]
 *   [--scale namespaces=50,services=20,versions=1,fanout=5,replicas=1] [--byte-histograms true|false]
 *   [--pod-logs true|false]   (access-log and app lines into the emulator's pods/log; default on, off with --scale)
 *   [--pod-targets true|false]   (one scrape target per proxy pod at /sd/pods; default on)
 */
import { parseArgs } from "node:util";
import { parseScaleSpec, startSimulator } from "./index";

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed)) throw new Error(`--${name}: expected a number, got "${value}"`);
  return parsed;
}

function booleanFlag(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new Error(`--${name}: expected true or false, got "${value}"`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      "edge-rps": { type: "string" },
      "jason-share": { type: "string" },
      "tick-ms": { type: "string" },
      seed: { type: "string" },
      scale: { type: "string" },
      "byte-histograms": { type: "string" },
      "pod-logs": { type: "string" },
      "pod-targets": { type: "string" },
    },
    strict: true,
  });
  if (!values.kubeconfig) throw new Error("--kubeconfig: required (path to a kubeconfig for the Kubernetes API)");
  const simulator = await startSimulator({
    kubeconfigPath: values.kubeconfig,
    host: values.host,
    port: numberFlag("port", values.port),
    edgeRps: numberFlag("edge-rps", values["edge-rps"]),
    jasonShare: numberFlag("jason-share", values["jason-share"]),
    tickMs: numberFlag("tick-ms", values["tick-ms"]),
    seed: numberFlag("seed", values.seed),
    scale: values.scale === undefined ? undefined : parseScaleSpec(values.scale),
    byteHistograms: booleanFlag("byte-histograms", values["byte-histograms"]),
    podLogs: booleanFlag("pod-logs", values["pod-logs"]),
    podTargets: booleanFlag("pod-targets", values["pod-targets"]),
  });
  console.log(`simulator listening on ${simulator.url}`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.error(`[simulator] ${signal}: stopping`);
    simulator.close().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`[simulator] stop failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: Error) => {
  console.error(`simulator: ${error.message}`);
  process.exit(1);
});
