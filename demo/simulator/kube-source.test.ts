/**
 * Watch behaviour of the mesh source against a scripted API server: a 410 Gone makes it relist,
 * a watch that simply ends is resumed from the last resourceVersion seen.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchMesh, type MeshSource } from "./kube-source";

const NAMESPACES = "/api/v1/namespaces";
const NOT_SERVED = "/apis/gateway.networking.k8s.io/v1/referencegrants";
const namespace = (name: string, resourceVersion: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, resourceVersion } });

let server: Server;
let workDir: string;
let kubeconfigPath: string;
const lists: string[] = [];
const namespaceWatches: Array<{ resourceVersion: string | null; response: ServerResponse }> = [];
let namespaceItems = [namespace("bookinfo", "5")];
let namespaceListVersion = "5";

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const watching = url.searchParams.get("watch") === "true";
    // An API server without the ReferenceGrant CRD.
    if (url.pathname === NOT_SERVED) {
      if (!watching) lists.push(url.pathname);
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }));
      return;
    }
    if (!watching) {
      lists.push(url.pathname);
      const items = url.pathname === NAMESPACES ? namespaceItems : [];
      const resourceVersion = url.pathname === NAMESPACES ? namespaceListVersion : "1";
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ kind: "List", metadata: { resourceVersion }, items }));
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.flushHeaders();
    if (url.pathname === NAMESPACES) namespaceWatches.push({ resourceVersion: url.searchParams.get("resourceVersion"), response });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  workDir = mkdtempSync(path.join(tmpdir(), "kube-source-"));
  kubeconfigPath = path.join(workDir, "kubeconfig");
  const port = (server.address() as AddressInfo).port;
  writeFileSync(
    kubeconfigPath,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      // client-node refuses plain HTTP unless TLS verification is explicitly off.
      clusters: [{ name: "test", cluster: { server: `http://127.0.0.1:${port}`, "insecure-skip-tls-verify": true } }],
      users: [{ name: "test", user: { token: "t" } }],
      contexts: [{ name: "test", context: { cluster: "test", user: "test" } }],
      "current-context": "test",
    }),
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(workDir, { recursive: true, force: true });
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("mesh source watches", () => {
  it("fails with the API address when nothing can be listed", async () => {
    const unreachable = path.join(workDir, "unreachable");
    writeFileSync(
      unreachable,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "x", cluster: { server: "http://127.0.0.1:1", "insecure-skip-tls-verify": true } }],
        users: [{ name: "x", user: { token: "t" } }],
        contexts: [{ name: "x", context: { cluster: "x", user: "x" } }],
        "current-context": "x",
      }),
    );
    await expect(watchMesh({ kubeconfigPath: unreachable, onChange: () => {}, log: () => {}, syncTimeoutMs: 300 })).rejects.toThrow(
      /Kubernetes API http:\/\/127\.0\.0\.1:1: could not list Namespace/,
    );
  });


  let source: MeshSource | undefined;
  afterAll(async () => source?.stop());

  it("lists every kind, relists after 410 Gone and resumes an ended watch from its resourceVersion", async () => {
    let changes = 0;
    source = await watchMesh({ kubeconfigPath, onChange: () => changes++, log: () => {}, syncTimeoutMs: 5000 });
    expect(new Set(lists)).toEqual(
      new Set([
        NAMESPACES,
        "/api/v1/services",
        "/apis/apps/v1/deployments",
        "/apis/networking.istio.io/v1/virtualservices",
        "/apis/networking.istio.io/v1/destinationrules",
        "/apis/security.istio.io/v1/peerauthentications",
        "/apis/security.istio.io/v1/authorizationpolicies",
        "/apis/gateway.networking.k8s.io/v1/gatewayclasses",
        "/apis/gateway.networking.k8s.io/v1/gateways",
        "/apis/gateway.networking.k8s.io/v1/httproutes",
        "/apis/gateway.networking.k8s.io/v1/grpcroutes",
        NOT_SERVED,
      ]),
    );
    expect(source.objects().namespaces.map((n) => n.metadata.name)).toEqual(["bookinfo"]);
    // A Gateway API kind the server does not serve is simply empty.
    expect(source.objects().gatewayApi?.referenceGrants).toEqual([]);
    await until(() => namespaceWatches.length === 1, "the first namespace watch");
    expect(namespaceWatches[0]?.resourceVersion).toBe("5");

    // The server has compacted past resourceVersion 5: the client must list again.
    namespaceItems = [namespace("bookinfo", "5"), namespace("mesh-lab", "9")];
    namespaceListVersion = "9";
    namespaceWatches[0]?.response.end(`${JSON.stringify({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } })}\n`);
    await until(() => namespaceWatches.length === 2, "a watch after the relist");
    expect(lists.filter((p) => p === NAMESPACES)).toHaveLength(2);
    expect(namespaceWatches[1]?.resourceVersion).toBe("9");
    await until(() => changes > 0, "a change notification");
    expect(source.objects().namespaces.map((n) => n.metadata.name).sort()).toEqual(["bookinfo", "mesh-lab"]);

    // A new object arrives, then the watch ends normally: resume from 10 without listing.
    namespaceWatches[1]?.response.write(`${JSON.stringify({ type: "ADDED", object: namespace("scale-000", "10") })}\n`);
    await until(() => source?.objects().namespaces.length === 3, "the added namespace");
    namespaceWatches[1]?.response.end();
    await until(() => namespaceWatches.length === 3, "the resumed watch");
    expect(namespaceWatches[2]?.resourceVersion).toBe("10");
    expect(lists.filter((p) => p === NAMESPACES)).toHaveLength(2);
  });
});
