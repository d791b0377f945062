import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { runValidateCommand } from "./cli";
import { captureIo as capture } from "./test-support";

/** `mesh-console validate` on Gateway API objects: from files, and from a cluster with and without the Gateway API. */

/** A Service and a GAMMA route to a backend that does not exist and to a port the Service lacks. */
const route = JSON.stringify({
  apiVersion: "v1",
  kind: "List",
  items: [
    { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { selector: { app: "web" }, ports: [{ name: "http", port: 8080 }] } },
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "r", namespace: "shop" },
      spec: {
        parentRefs: [{ group: "", kind: "Service", name: "web", port: 8080 }],
        rules: [{ backendRefs: [{ name: "web-v3", port: 8080 }] }, { backendRefs: [{ name: "web", port: 9090 }] }],
      },
    },
  ],
});

/** A kubeconfig for a plain-HTTP address, which client-node accepts only with TLS verification off. */
function kubeconfigFor(dir: string, server: string, token: string): string {
  const file = path.join(dir, "kubeconfig");
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{ name: test, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: test, user: { token: "${token}" } }]
contexts: [{ name: test, context: { cluster: test, user: test } }]
current-context: test
`,
  );
  return file;
}

/** Forwards to the API server but answers the Gateway API group 404, as a cluster without its CRDs does. */
function withoutGatewayApi(target: string): Promise<Server> {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    if ((incoming.url ?? "").startsWith("/apis/gateway.networking.k8s.io")) {
      outgoing.writeHead(404, { "content-type": "application/json" });
      outgoing.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: "the server could not find the requested resource" }));
      return;
    }
    const forward = request({ host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forward.on("error", () => outgoing.destroy());
    incoming.pipe(forward);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("validate reads Gateway API objects from files", () => {
  it("reports a missing backend and an unexposed port on their fields, and fails", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "validate-gwapi-"));
    writeFileSync(path.join(dir, "route.json"), route);
    const run = capture();
    const code = await runValidateCommand(["validate", "-f", dir], run.io);
    expect(code).toBe(1);
    expect(run.out()).toContain('Error [IST0101] (HTTPRoute shop/r spec.rules[0].backendRefs[0].name) Referenced backend not found: "web-v3.shop.svc.cluster.local"');
    expect(run.out()).toContain("Error [MC1009] (HTTPRoute shop/r spec.rules[1].backendRefs[0].port) Service shop/web does not expose port 9090 (it exposes 8080)");
  });
});

describe("validate --cluster", () => {
  let api: KubeApi;
  let proxy: Server;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "validate-cluster-"));
    api = await startKubeApi({ seed: [DEMO_MANIFESTS], kubeconfigPath: path.join(dir, "emulator-kubeconfig") });
    proxy = await withoutGatewayApi(api.url);
  });

  afterAll(async () => {
    proxy?.closeAllConnections();
    await new Promise((resolve) => proxy?.close(resolve));
    await api?.close();
  });

  it("reads the Gateway API kinds from the cluster", async () => {
    const run = capture();
    const code = await runValidateCommand(["validate", "--cluster", "--kubeconfig", api.kubeconfigPath ?? "", "-o", "json"], run.io);
    expect(run.err()).toBe("");
    expect(code).toBe(1);
    const report = JSON.parse(run.out()) as { findings: { code: string; object: { kind: string; namespace: string; name: string }; path: string }[] };
    const onRoute = report.findings.filter((f) => f.object.kind === "HTTPRoute" && f.object.name === "reports");
    expect(onRoute.map((f) => `${f.code} ${f.object.namespace} ${f.path}`)).toEqual(["IST0101 mesh-lab spec.rules[0].backendRefs[0].name", "MC1010 mesh-lab spec.rules[1].backendRefs[0].namespace"]);
    // The storefront application, routed only by the Gateway API, is configured correctly.
    expect(report.findings.filter((f) => f.object.namespace === "storefront")).toEqual([]);
  });

  it("treats a cluster without the Gateway API CRDs as having no such objects, not as an error", async () => {
    const address = proxy.address() as AddressInfo;
    const run = capture();
    const code = await runValidateCommand(["validate", "--cluster", "--kubeconfig", kubeconfigFor(dir, `http://127.0.0.1:${address.port}`, api.tokens.admin)], run.io);
    expect(run.err()).not.toContain("cannot read");
    expect(code).toBe(1);
    expect(run.out()).toContain("VirtualService mesh-lab/catalog");
    expect(run.out()).not.toContain("HTTPRoute");
  });

  it("says which context is missing", async () => {
    const run = capture();
    const code = await runValidateCommand(["validate", "--cluster", "--kubeconfig", kubeconfigFor(dir, api.url, api.tokens.admin), "--context", "prod"], run.io);
    expect(code).toBe(2);
    expect(run.err()).toContain('the kubeconfig has no context "prod"; it has test');
  });
});
