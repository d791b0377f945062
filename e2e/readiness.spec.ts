import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { consoleProcess } from "../demo/orchestrate/demo";
import { freePort } from "../demo/orchestrate/ports";
import { waitForHttp } from "../demo/orchestrate/processes";
import { demoEndpoints } from "./demoEndpoints";
import { expect, test } from "./fixtures";

/** Starts another console from the same build with its own upstream settings. */
async function consoleWith(env: Record<string, string>) {
  const port = await freePort();
  const child = consoleProcess({ port, mode: "start", env: { MESH_CONSOLE_PORT: String(port), ...env }, log: "quiet" });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/api/health`, child, 60_000);
  return { url, stop: () => child.stop() };
}

async function kubeconfigFor(server: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-kubeconfig-"));
  const file = path.join(dir, "kubeconfig");
  await writeFile(
    file,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: gone, cluster: {server: "${server}"}}]`,
      "users: [{name: someone, user: {token: nothing}}]",
      "contexts: [{name: gone, context: {cluster: gone, user: someone}}]",
      "current-context: gone",
    ].join("\n"),
  );
  return file;
}

test.describe("readiness", () => {
  test("names Prometheus as the reason when it does not answer", async () => {
    const { kubeconfig } = demoEndpoints();
    const deadPrometheus = `http://127.0.0.1:${await freePort()}`;
    const consoleServer = await consoleWith({ KUBECONFIG: kubeconfig, PROMETHEUS_URL: deadPrometheus });
    try {
      const live = await fetch(`${consoleServer.url}/api/health`);
      expect(live.status).toBe(200);
      const response = await fetch(`${consoleServer.url}/api/ready`);
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body.checks.kubernetes.ok).toBe(true);
      expect(body.checks.prometheus.ok).toBe(false);
      expect(body.checks.prometheus.detail).toContain(`Prometheus at ${deadPrometheus} could not be reached (ECONNREFUSED)`);
    } finally {
      await consoleServer.stop();
    }
  });

  test("names the Kubernetes API as the reason when it does not answer", async () => {
    const { prometheus } = demoEndpoints();
    const deadApiServer = `http://127.0.0.1:${await freePort()}`;
    const consoleServer = await consoleWith({ KUBECONFIG: await kubeconfigFor(deadApiServer), PROMETHEUS_URL: prometheus });
    try {
      const response = await fetch(`${consoleServer.url}/api/ready`);
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body.checks.prometheus.ok).toBe(true);
      expect(body.checks.kubernetes.ok).toBe(false);
      expect(body.checks.kubernetes.detail).toContain(`Kubernetes API at ${deadApiServer}`);
    } finally {
      await consoleServer.stop();
    }
  });
});
