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

  /** Starts the standalone server expecting it to refuse; resolves with its exit code and output. */
  async function refusedStart(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
    const { HOSTNAME: _shellHostname, MESH_CONSOLE_ADDRESS: _address, ...inherited } = process.env;
    const child = spawn(process.execPath, [standaloneServer], {
      env: { ...inherited, PORT: String(await freePort()), NODE_ENV: "production", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    return { code, output };
  }

  test("refuses anonymous access on the address it binds when that is not loopback (HOSTNAME, or every interface without it)", async () => {
    for (const env of [{ HOSTNAME: "0.0.0.0", MESH_CONSOLE_ADDRESS: "0.0.0.0" }, { HOSTNAME: "0.0.0.0" }, {}]) {
      const { code, output } = await refusedStart(env);
      expect(code, JSON.stringify(env)).toBe(2);
      expect(output).toContain("anonymous access is only allowed on a loopback address, but the console listens on 0.0.0.0");
    }
  });

  test("refuses to start when the address it checks and the address it binds disagree", async () => {
    const { code, output } = await refusedStart({ HOSTNAME: "0.0.0.0", MESH_CONSOLE_ADDRESS: "127.0.0.1" });
    expect(code).toBe(2);
    expect(output).toContain('MESH_CONSOLE_ADDRESS and HOSTNAME disagree: the server binds HOSTNAME ("0.0.0.0") but MESH_CONSOLE_ADDRESS says "127.0.0.1"');
  });
});
