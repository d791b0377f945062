/**
 * `mesh-console dashboard`: its flags, and the real command (a child process) forwarding through
 * the Kubernetes API emulator's pods/portforward to a local server standing in for the console's pod.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { writeForwardedServiceSeed } from "@/demo/kube-api/testing-forward";
import { DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { chooseConsoleService, parseDashboardArgs } from "./dashboard";

const bin = path.resolve(import.meta.dirname, "..", "..", "bin", "mesh-console.mjs");

/** Runs the command to its end without blocking this process, which hosts the emulator. */
function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "ignore", "pipe"], env });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (status) => resolve({ status, stderr })));
}

describe("parseDashboardArgs", () => {
  it("defaults to any free port on loopback, searching the usual namespaces, opening a browser", () => {
    expect(parseDashboardArgs([])).toEqual({ namespace: undefined, service: undefined, port: 0, address: "127.0.0.1", browser: true, context: undefined, kubeconfig: undefined });
  });

  it("reads --browser=false, --no-browser and the other flags", () => {
    expect(parseDashboardArgs(["--browser=false", "--namespace", "ops", "--service", "team-a-mesh-console", "--port", "8080", "--context", "prod"])).toMatchObject({ namespace: "ops", service: "team-a-mesh-console", port: 8080, browser: false, context: "prod" });
    expect(parseDashboardArgs(["--no-browser"]).browser).toBe(false);
  });

  it.each([
    ["a namespace smuggling a path (path traversal)", ["--namespace", "../kube-system"]],
    ["a port out of range", ["--port", "70000"]],
    ["a Service name smuggling a path", ["--service", "a/b"]],
    ["an address smuggling a URL", ["--address", "evil.example/x?"]],
    ["an unknown flag", ["--token", "x"]],
  ])("refuses %s", (_what, argv) => {
    expect(() => parseDashboardArgs(argv)).toThrow();
  });
});

describe("chooseConsoleService", () => {
  const consoles = [
    { namespace: "istio-system", name: "mesh-console" },
    { namespace: "team-a", name: "team-a-mesh-console" },
    { namespace: "team-a", name: "mesh-console-canary" },
  ];

  it("takes the only console, whatever it is named", () => {
    expect(chooseConsoleService(consoles.slice(1, 2), {})).toEqual({ found: { namespace: "team-a", name: "team-a-mesh-console" } });
  });

  it("names every console found and the flag that chooses, when there are several", () => {
    expect(chooseConsoleService(consoles, {})).toEqual({
      problem: "3 consoles (Services labelled app.kubernetes.io/name=mesh-console) in any namespace you may list Services in: istio-system/mesh-console, team-a/team-a-mesh-console, team-a/mesh-console-canary; choose one with --namespace",
    });
    expect(chooseConsoleService(consoles, { namespace: "team-a" })).toMatchObject({ problem: expect.stringMatching(/^2 consoles .* in namespace team-a: .*; choose one with --service$/) });
    expect(chooseConsoleService(consoles, { namespace: "team-a", service: "mesh-console-canary" })).toEqual({ found: { namespace: "team-a", name: "mesh-console-canary" } });
  });

  it("says where it looked and how to install when there is none", () => {
    expect(chooseConsoleService([], { namespace: "ops" })).toEqual({
      problem: "No console Service (labelled app.kubernetes.io/name=mesh-console) in namespace ops: install the console with one of deploy/'s overlays (kubectl apply -k deploy/overlays/token), or name its namespace with --namespace",
    });
  });
});

describe("mesh-console dashboard (the real command)", () => {
  let api: KubeApi;
  let dir: string;
  let pod: Server;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "mesh-console-dashboard-"));
    pod = createServer((req, res) => res.end(JSON.stringify({ status: "ok", path: req.url })));
    await new Promise<void>((resolve) => pod.listen(0, "127.0.0.1", resolve));
    api = await startKubeApi({
      seed: [path.join(DEMO_MANIFESTS, "00-namespaces.yaml"), await writeForwardedServiceSeed(dir, { namespace: "istio-system", name: "mesh-console", port: 20001, forwardTo: `127.0.0.1:${(pod.address() as AddressInfo).port}` })],
      kubeconfigPath: path.join(dir, "kubeconfig"),
    });
  });

  afterAll(async () => {
    await api?.close();
    await new Promise((resolve) => pod?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("prints a local URL that reaches the console's pod, and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [bin, "dashboard", "--browser=false", "--kubeconfig", api.kubeconfigPath ?? ""], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`dashboard exited ${code}: ${stderr}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ status: "ok", path: "/api/health" });
      expect(stderr).toContain("to pod istio-system/mesh-console-");
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("says where it searched when the console is not installed", async () => {
    const result = await runCli(["dashboard", "--browser=false", "--kubeconfig", api.kubeconfigPath ?? "", "--namespace", "bookinfo"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("No console Service (labelled app.kubernetes.io/name=mesh-console) in namespace bookinfo");
  });

  it("names the unreachable cluster", async () => {
    const kubeconfig = path.join(dir, "gone.yaml");
    await writeFile(kubeconfig, ["apiVersion: v1", "kind: Config", "clusters: [{name: gone, cluster: {server: 'http://127.0.0.1:9'}}]", "users: [{name: u, user: {token: t}}]", "contexts: [{name: gone, context: {cluster: gone, user: u}}]", "current-context: gone"].join("\n"));
    const result = await runCli(["dashboard", "--browser=false", "--kubeconfig", kubeconfig]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Kubernetes API at http://127.0.0.1:9 could not be reached");
  });

  it("says there is no kubeconfig when none is given or found", async () => {
    const result = await runCli(["dashboard", "--browser=false"], { ...process.env, KUBECONFIG: "", HOME: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("No kubeconfig");
  });
});
