import { spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "../demo/orchestrate/ports";
import { startProcess, waitForHttp } from "../demo/orchestrate/processes";
import { demoEndpoints } from "./demoEndpoints";
import { expect, test } from "./fixtures";

// What the container image runs: Next.js' standalone server, configured by environment variables.
const standaloneServer = path.resolve(import.meta.dirname, "..", process.env.MESH_CONSOLE_DIST_DIR ?? ".next", "standalone", "server.js");

test.describe("standalone build (the container image's server)", () => {
  test("starts and answers the health check", async () => {
    const { kubeconfig, prometheus } = demoEndpoints();
    const port = await freePort();
    const server = startProcess({
      role: "standalone console",
      command: process.execPath,
      args: [standaloneServer],
      env: { ...process.env, HOSTNAME: "127.0.0.1", PORT: String(port), MESH_CONSOLE_PORT: String(port), KUBECONFIG: kubeconfig, PROMETHEUS_URL: prometheus, NODE_ENV: "production" },
      log: "quiet",
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/api/health`, server, 30_000);
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(await response.json()).toEqual({ status: "ok" });
    } finally {
      await server.stop();
    }
  });

  test("refuses to start with a wrong setting and names it", async () => {
    const child = spawn(process.execPath, [standaloneServer], {
      env: { ...process.env, HOSTNAME: "127.0.0.1", PORT: String(await freePort()), PROMETHEUS_URL: "prometheus:9090", NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(2);
    expect(output).toContain("PROMETHEUS_URL: expected an http(s) URL");
  });

  test("refuses anonymous access on a non-loopback address unless forced", async () => {
    const child = spawn(process.execPath, [standaloneServer], {
      env: { ...process.env, HOSTNAME: "127.0.0.1", PORT: String(await freePort()), MESH_CONSOLE_ADDRESS: "0.0.0.0", NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(2);
    expect(output).toContain("anonymous access is only allowed on a loopback address");
  });
});
