/**
 * Starts the demo once for all browser tests, on free ports, and stops it afterwards.
 */
import { startDemo } from "../demo/orchestrate/demo";
import { E2E_STATE_DIR } from "./demoEndpoints";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const demo = await startDemo({
    stateDir: E2E_STATE_DIR,
    ports: { console: 0, prometheus: 0, kubeApi: 0, simulator: 0 },
    scrapeIntervalSeconds: 2,
    consoleMode: "start",
    log: process.env.E2E_DEMO_LOG === "1" ? "inherit" : "quiet",
  });
  return () => demo.stop();
}
