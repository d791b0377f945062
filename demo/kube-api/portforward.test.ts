/**
 * The emulator's pods/portforward as a WebSocket client sees it: refusals come back as Status
 * objects before the upgrade, and an accepted forward starts with the port on both channels.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startKubeApi, type KubeApi } from "./index";
import { writeForwardedServiceSeed } from "./testing-forward";

const MANIFESTS = path.resolve(import.meta.dirname, "../manifests");
let api: KubeApi;
let dir: string;
let podName: string;

function open(pathname: string, token: string | undefined, protocols = ["v4.channel.k8s.io"]): Promise<{ status: number; body?: string; ws?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${api.port}${pathname}`, protocols, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on("open", () => resolve({ status: 101, ws }));
    ws.on("error", reject);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-api-forward-"));
  api = await startKubeApi({
    seed: [path.join(MANIFESTS, "00-namespaces.yaml"), await writeForwardedServiceSeed(dir, { namespace: "bookinfo", name: "nowhere", port: 8080 })],
  });
  const pods = (await (await fetch(`${api.url}/api/v1/namespaces/bookinfo/pods?labelSelector=app%3Dnowhere`, { headers: { authorization: `Bearer ${api.tokens.admin}` } })).json()) as { items: { metadata: { name: string } }[] };
  podName = pods.items[0]?.metadata.name ?? "";
});

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("pods/portforward", () => {
  it("answers 401 without a token", async () => {
    expect((await open(`/api/v1/namespaces/bookinfo/pods/${podName}/portforward?ports=8080`, undefined)).status).toBe(401);
  });

  it("answers 403 to the viewer, whose role has no pods/portforward", async () => {
    const refused = await open(`/api/v1/namespaces/bookinfo/pods/${podName}/portforward?ports=8080`, api.tokens.viewer);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('cannot create resource \\"pods/portforward\\"');
  });

  it("refuses a pod that names no forward target with a 400 Status that says so", async () => {
    const refused = await open(`/api/v1/namespaces/bookinfo/pods/${podName}/portforward?ports=8080`, api.tokens.admin);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("demo.mesh-console.io/forward-to");
  });

  it("answers 404 to a pod name smuggling a path (path traversal)", async () => {
    for (const name of ["..%2F..%2Fsecrets", "x%0Ay", "UPPER"]) {
      expect((await open(`/api/v1/namespaces/bookinfo/pods/${name}/portforward?ports=8080`, api.tokens.admin)).status).toBe(404);
    }
  });

  it("refuses more than one port per forward", async () => {
    expect((await open(`/api/v1/namespaces/bookinfo/pods/${podName}/portforward?ports=80,81`, api.tokens.admin)).status).toBe(400);
  });
});
