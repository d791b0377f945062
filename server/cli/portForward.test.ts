/**
 * The CLI's port-forward against the Kubernetes API emulator's pods/portforward: the bytes really
 * travel client-node → WebSocket → emulator → a local HTTP server standing in for the pod.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { writeForwardedServiceSeed } from "@/demo/kube-api/testing-forward";
import type { KubeClients } from "@/server/kube";
import { DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { cliKubeClients } from "./dashboard";
import { findServiceBackend, startLocalForward } from "./portForward";

let api: KubeApi;
let dir: string;
let pod: Server;
let admin: KubeClients;
let viewer: KubeClients;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mesh-console-forward-"));
  pod = createServer((req, res) => res.end(`pod answered ${req.url}`));
  await new Promise<void>((resolve) => pod.listen(0, "127.0.0.1", resolve));
  const podPort = (pod.address() as AddressInfo).port;
  api = await startKubeApi({
    seed: [
      path.join(DEMO_MANIFESTS, "00-namespaces.yaml"),
      await writeForwardedServiceSeed(dir, { namespace: "istio-system", name: "mesh-console", port: 20001, forwardTo: `127.0.0.1:${podPort}` }),
      await writeForwardedServiceSeed(dir, { namespace: "bookinfo", name: "nowhere", port: 8080 }),
    ],
    kubeconfigPath: path.join(dir, "kubeconfig"),
  });
  admin = cliKubeClients({ kubeconfig: api.kubeconfigPath, context: "demo-admin" });
  viewer = cliKubeClients({ kubeconfig: api.kubeconfigPath, context: "demo-viewer" });
});

afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => pod?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("findServiceBackend", () => {
  it("finds the Service's Running, ready pod and resolves its named target port", async () => {
    const backend = await findServiceBackend(admin, ["mesh-console", "istio-system"], "mesh-console");
    expect(backend).toMatchObject({ namespace: "istio-system", service: "mesh-console", podPort: 20001 });
    expect(backend.pod).toMatch(/^mesh-console-/);
  });

  it("says which namespaces it searched when the Service is missing", async () => {
    await expect(findServiceBackend(admin, ["istio-system", "mesh-console"], "absent")).rejects.toThrow("Service absent was not found in namespaces istio-system, mesh-console");
  });
});

describe("startLocalForward", () => {
  it("carries HTTP through the API server's port-forward to the pod, one forward per connection", async () => {
    const backend = await findServiceBackend(admin, ["istio-system"], "mesh-console");
    const forward = await startLocalForward(admin.kubeConfig, backend, { address: "127.0.0.1", port: 0 });
    try {
      const answers = await Promise.all(["/api/health", "/two"].map(async (route) => (await fetch(`${forward.url}${route}`)).text()));
      expect(answers).toEqual(["pod answered /api/health", "pod answered /two"]);
    } finally {
      await forward.close();
    }
  });

  it("reports the viewer's missing pods/portforward permission (403) instead of hanging", async () => {
    const backend = await findServiceBackend(viewer, ["istio-system"], "mesh-console");
    let report: (error: Error) => void = () => undefined;
    const reported = new Promise<Error>((resolve) => (report = resolve));
    const forward = await startLocalForward(viewer.kubeConfig, backend, { address: "127.0.0.1", port: 0, onForwardError: (error) => report(error) });
    try {
      await fetch(forward.url).catch(() => undefined);
      expect((await reported).message).toContain("your account needs create on pods/portforward in istio-system");
    } finally {
      await forward.close();
    }
  });

  it("refuses a local port already in use with a clear message", async () => {
    const taken = createNetServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    const backend = await findServiceBackend(admin, ["istio-system"], "mesh-console");
    try {
      await expect(startLocalForward(admin.kubeConfig, backend, { address: "127.0.0.1", port })).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      taken.close();
    }
  });
});
