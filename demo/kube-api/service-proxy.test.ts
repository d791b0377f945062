/**
 * The services/proxy and pods/proxy subresources with the real kubectl (`get --raw`), relaying to a
 * local server that stands for istiod's debug port.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "./index";
import { parseProxyPath } from "./service-proxy";

const run = promisify(execFile);
const kubectlFound = spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;

describe("parseProxyPath", () => {
  it.each([
    ["/api/v1/namespaces/istio-system/services/https:istiod:15014/proxy/debug/syncz", { namespace: "istio-system", kind: "services", name: "istiod", path: "/debug/syncz" }],
    ["/api/v1/namespaces/istio-system/services/istiod:15014/proxy/debug/syncz", { namespace: "istio-system", kind: "services", name: "istiod", path: "/debug/syncz" }],
    ["/api/v1/namespaces/istio-system/services/istiod/proxy", { namespace: "istio-system", kind: "services", name: "istiod", path: "/" }],
    ["/api/v1/namespaces/istio-system/pods/istiod-abc-x1:15014/proxy/debug%2Fsyncz", { namespace: "istio-system", kind: "pods", name: "istiod-abc-x1", path: "/debug/syncz" }],
  ])("%s", (pathname, expected) => {
    expect(parseProxyPath(pathname)).toEqual(expected);
  });
  it("leaves other paths to the resource router", () => {
    expect(parseProxyPath("/api/v1/namespaces/istio-system/services/istiod")).toBeUndefined();
    expect(parseProxyPath("/api/v1/namespaces/istio-system/pods/istiod-abc/log")).toBeUndefined();
  });
});

let api: KubeApi;
let dir: string;
let istiod: Server;
const asked: string[] = [];

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run("kubectl", ["--kubeconfig", api.kubeconfigPath ?? "", "--cache-dir", path.join(dir, "cache"), ...args], { timeout: 20_000 });
  return stdout;
}

async function kubectlFailure(...args: string[]): Promise<string> {
  try {
    await kubectl(...args);
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
  throw new Error(`kubectl ${args.join(" ")} was expected to fail`);
}

beforeAll(async () => {
  if (!kubectlFound) return;
  dir = await mkdtemp(path.join(tmpdir(), "kube-api-proxy-"));
  api = await startKubeApi({ seed: [path.resolve(__dirname, "../manifests")], kubeconfigPath: path.join(dir, "kubeconfig") });
  istiod = createServer((req, res) => {
    asked.push(`${req.url} auth=${req.headers.authorization ?? "none"}`);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify([{ proxy: "web-1.shop", proxy_type: "sidecar" }]));
  });
  await new Promise<void>((resolve) => istiod.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => (istiod ? istiod.close(resolve) : resolve(undefined)));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!kubectlFound)("services/proxy and pods/proxy with kubectl", () => {
  it("answers 503 while the Service names no address to relay to", async () => {
    expect(await kubectlFailure("get", "--raw", "/api/v1/namespaces/istio-system/services/istiod:15014/proxy/debug/syncz")).toMatch(/ServiceUnavailable|no endpoints available/);
  });

  it("relays to the Service's forward-to address, and to its pods through the Service's annotation", async () => {
    const port = (istiod.address() as AddressInfo).port;
    await kubectl("annotate", "service", "istiod", "-n", "istio-system", `demo.mesh-console.io/forward-to=127.0.0.1:${port}`);
    const viaService = JSON.parse(await kubectl("get", "--raw", "/api/v1/namespaces/istio-system/services/istiod:15014/proxy/debug/syncz?namespace=shop")) as unknown;
    expect(viaService).toEqual([{ proxy: "web-1.shop", proxy_type: "sidecar" }]);
    expect(asked.at(-1)).toBe("/debug/syncz?namespace=shop auth=none");

    const pod = (await kubectl("get", "pods", "-n", "istio-system", "-l", "app=istiod", "-o", "jsonpath={.items[0].metadata.name}")).trim();
    const viaPod = JSON.parse(await kubectl("get", "--raw", `/api/v1/namespaces/istio-system/pods/${pod}:15014/proxy/debug/syncz`)) as unknown;
    expect(viaPod).toEqual(viaService);
  });

  it("refuses the viewer, as Kubernetes' view role grants no proxy", async () => {
    expect(await kubectlFailure("--context", "demo-viewer", "get", "--raw", "/api/v1/namespaces/istio-system/services/istiod:15014/proxy/debug/syncz")).toContain(
      'User "viewer" cannot get resource "services/proxy" in API group "" in the namespace "istio-system"',
    );
  });
});
