import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "../demo/orchestrate/ports";
import { demoEndpoints } from "./demoEndpoints";
import { consoleWith } from "./extraConsoles";
import { expect, test } from "./fixtures";

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

  test("with token sign-in, a probe without a session learns which check failed and nothing else (addresses, versions)", async () => {
    const { kubeconfig } = demoEndpoints();
    const deadPrometheus = `http://127.0.0.1:${await freePort()}`;
    const consoleServer = await consoleWith({ KUBECONFIG: kubeconfig, PROMETHEUS_URL: deadPrometheus, MESH_CONSOLE_AUTH: "token" });
    try {
      const response = await fetch(`${consoleServer.url}/api/ready`);
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ ready: false, checks: { kubernetes: { ok: true }, prometheus: { ok: false }, caches: { ok: true } } });
      expect(text).not.toContain("127.0.0.1");
    } finally {
      await consoleServer.stop();
    }
  });
});
