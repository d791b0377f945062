/**
 * Starts the demo once for all browser tests, on free ports, and stops it afterwards. The Gateway
 * API's CRDs are installed when they are next to the repository, so the Gateway API kinds are
 * validated as a cluster with the release installed validates them (CEL rules included).
 */
import { gatewayApiCrdsDir } from "../demo/kube-api/corpus";
import { startDemo } from "../demo/orchestrate/demo";
import { E2E_STATE_DIR } from "./demoEndpoints";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const demo = await startDemo({
    stateDir: E2E_STATE_DIR,
    ports: { console: 0, prometheus: 0, kubeApi: 0, simulator: 0 },
    scrapeIntervalSeconds: 2,
    consoleMode: "start",
    log: process.env.E2E_DEMO_LOG === "1" ? "inherit" : "quiet",
    gatewayApiCrds: gatewayApiCrdsDir(),
  });
  return () => demo.stop();
}
