/**
 * main.ts as the demo and other tests run it: a child process that prints its address, writes
 * a kubeconfig and stops on SIGTERM.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";

const REPO = path.resolve(__dirname, "../..");
let child: ChildProcess | undefined;
let dir: string | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Kubeconfig {
  "current-context": string;
  clusters: { cluster: { server: string } }[];
  contexts: { name: string; context: { user: string; namespace: string } }[];
  users: { name: string; user: { token: string } }[];
}

describe("main.ts", () => {
  it("starts seeded, announces its URL, writes a kubeconfig with both roles and stops on SIGTERM", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kube-api-main-"));
    const kubeconfigPath = path.join(dir, "kubeconfig");
    child = spawn(process.execPath, ["--import", "tsx", "demo/kube-api/main.ts", "--port", "0", "--seed", "demo/manifests", "--kubeconfig", kubeconfigPath], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const proc = child;
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      const timer = setTimeout(() => reject(new Error(`no listening line; stdout: ${out} stderr: ${err}`)), 30_000);
      proc.stderr?.on("data", (c: Buffer) => (err += c.toString()));
      proc.stdout?.on("data", (c: Buffer) => {
        out += c.toString();
        const match = /^kube-api listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(out);
        if (match?.[1] && match[2] !== "0") {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });

    const config = parse(await readFile(kubeconfigPath, "utf8")) as Kubeconfig;
    expect(config["current-context"]).toBe("demo-admin");
    expect(config.contexts.map((c) => [c.name, c.context.namespace])).toEqual([
      ["demo-admin", "bookinfo"],
      ["demo-viewer", "bookinfo"],
    ]);
    expect(config.clusters[0]?.cluster.server).toBe(url.replace("http://", "https://"));
    const token = (name: string) => config.users.find((u) => u.name === name)?.user.token ?? "";

    const list = await fetch(`${url}/apis/networking.istio.io/v1/namespaces/bookinfo/destinationrules`, { headers: { Authorization: `Bearer ${token("demo-viewer")}` } });
    expect(list.status).toBe(200);
    const names = ((await list.json()) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name);
    expect(names).toEqual(["details", "productpage", "ratings", "reviews"]);

    const armed = await fetch(`${url}/emulator/fail-next-write`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token("demo-admin")}`, "Content-Type": "application/json" },
      body: JSON.stringify({ resource: "destinationrules", name: "reviews", status: 500 }),
    });
    expect(armed.status).toBe(201);
    const failed = await fetch(`${url}/apis/networking.istio.io/v1/namespaces/bookinfo/destinationrules/reviews`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${token("demo-admin")}` },
    });
    expect(failed.status).toBe(500);

    const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("refuses a bad flag with a message naming it", async () => {
    const proc = spawn(process.execPath, ["--import", "tsx", "demo/kube-api/main.ts", "--port", "http"], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    proc.stderr?.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
    expect(code).toBe(2);
    expect(err).toContain("--port http: expected an integer between 0 and 65535");
  });
});
