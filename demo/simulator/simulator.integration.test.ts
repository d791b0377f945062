/**
 * End to end against the Kubernetes API emulator seeded with the demo manifests: config applied
 * through client-node must show in the simulator's /metrics within a second.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "../kube-api/index";
import { startSimulator, type Simulator } from "./index";
import { parseExposition, sumWhere, type Sample } from "./testing/exposition";

const MANIFESTS = fileURLToPath(new URL("../manifests", import.meta.url));
const REQUESTS = "istio_requests_total";
const toReviews = { reporter: "source", source_workload: "productpage-v1", destination_service_name: "reviews" };

let kubeApi: KubeApi;
let simulator: Simulator;
let customObjects: CustomObjectsApi;
let core: CoreV1Api;
let workDir: string;

async function scrape(pathName = "/metrics"): Promise<Sample[]> {
  const response = await fetch(`${simulator.url}${pathName}`);
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counter deltas of productpage → reviews over a window that starts once config has settled. */
async function reviewsWindow(where: Record<string, string>[]): Promise<{ total: number; parts: number[] }> {
  await sleep(1200);
  const before = await scrape();
  await sleep(3000);
  const after = await scrape();
  const delta = (labels: Record<string, string>) => sumWhere(after, REQUESTS, { ...toReviews, ...labels }) - sumWhere(before, REQUESTS, { ...toReviews, ...labels });
  return { total: delta({}), parts: where.map(delta) };
}

async function applyReviewsVirtualService(http: unknown[]): Promise<void> {
  const target = { group: "networking.istio.io", version: "v1", namespace: "bookinfo", plural: "virtualservices" };
  const body = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "reviews", namespace: "bookinfo" }, spec: { hosts: ["reviews"], http } };
  try {
    const existing = (await customObjects.getNamespacedCustomObject({ ...target, name: "reviews" })) as { metadata: { resourceVersion: string } };
    await customObjects.replaceNamespacedCustomObject({
      ...target,
      name: "reviews",
      body: { ...body, metadata: { ...body.metadata, resourceVersion: existing.metadata.resourceVersion } },
    });
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
    await customObjects.createNamespacedCustomObject({ ...target, body });
  }
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "simulator-it-"));
  const kubeconfigPath = path.join(workDir, "kubeconfig");
  kubeApi = await startKubeApi({ seed: [MANIFESTS], kubeconfigPath });
  simulator = await startSimulator({ kubeconfigPath, port: 0, edgeRps: 400, jasonShare: 0, tickMs: 200, seed: 11, log: () => {} });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  customObjects = kubeConfig.makeApiClient(CustomObjectsApi);
  core = kubeConfig.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await simulator?.close();
  await kubeApi?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("simulator against the Kubernetes API emulator", () => {
  it("serves Bookinfo traffic through the ingress gateway", async () => {
    await sleep(600);
    const samples = await scrape();
    expect(sumWhere(samples, REQUESTS, { reporter: "source", source_workload: "istio-ingressgateway", destination_workload: "productpage-v1" })).toBeGreaterThan(0);
    expect(sumWhere(samples, "istio_tcp_connections_opened_total", { source_workload: "ratings-v1", destination_service_name: "mongodb" })).toBeGreaterThan(0);
  });

  it("follows an 80/20 reviews VirtualService applied through the API", async () => {
    await applyReviewsVirtualService([
      { route: [{ destination: { host: "reviews", subset: "v1" }, weight: 80 }, { destination: { host: "reviews", subset: "v2" }, weight: 20 }] },
    ]);
    const { total, parts } = await reviewsWindow([{ destination_workload: "reviews-v1" }, { destination_workload: "reviews-v2" }]);
    expect(total).toBeGreaterThan(500);
    expect(Math.abs((parts[0] ?? 0) / total - 0.8)).toBeLessThan(0.05);
    expect(Math.abs((parts[1] ?? 0) / total - 0.2)).toBeLessThan(0.05);
  });

  it("aborts the configured share once a fault is added", async () => {
    await applyReviewsVirtualService([
      { route: [{ destination: { host: "reviews", subset: "v1" } }], fault: { abort: { percentage: { value: 30 }, httpStatus: 500 } } },
    ]);
    const { total, parts } = await reviewsWindow([{ response_code: "500", response_flags: "FI" }]);
    expect(Math.abs((parts[0] ?? 0) / total - 0.3)).toBeLessThan(0.05);
  });

  it("answers 503 NR for a subset the DestinationRule does not define", async () => {
    await applyReviewsVirtualService([{ route: [{ destination: { host: "reviews", subset: "v9" } }] }]);
    const { total, parts } = await reviewsWindow([{ response_code: "503", response_flags: "NR", destination_workload: "unknown" }]);
    expect(total).toBeGreaterThan(0);
    expect(parts[0]).toBe(total);
  });

  it("writes productpage's access log with the same 503 NR, and app lines in the app container (read with client-node)", async () => {
    const pods = await core.listNamespacedPod({ namespace: "bookinfo", labelSelector: "app=productpage" });
    const name = pods.items[0]?.metadata?.name ?? "";
    // A 2 s window can hold no call to reviews when a busy machine delays the simulator's ticks, so read until one shows.
    const readToReviewsLines = async () =>
      (await core.readNamespacedPodLog({ name, namespace: "bookinfo", container: "istio-proxy", sinceSeconds: 2 }))
        .split("\n")
        .filter((line) => line.includes('"reviews:9080"'));
    let toReviewsLines: string[] = [];
    await expect
      .poll(async () => (toReviewsLines = await readToReviewsLines()).length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(toReviewsLines.every((line) => / 503 NR route_not_found - "-" /.test(line))).toBe(true);
    // Inbound lines come with the ingress traffic's own pace; a busy machine can leave a 2 s window without one.
    await expect
      .poll(async () => core.readNamespacedPodLog({ name, namespace: "bookinfo", container: "istio-proxy", sinceSeconds: 2 }), { timeout: 15_000 })
      .toMatch(/ 200 - via_upstream .* inbound\|9080\|\| /);
    const appLog = await core.readNamespacedPodLog({ name, namespace: "bookinfo", container: "productpage", tailLines: 5 });
    expect(appLog).toMatch(/^INFO GET \/productpage 200 \d+ms$/m);
  });

  it("counts an RE2-incompatible regex as an RDS reject and keeps the last accepted routes", async () => {
    const rejectsBefore = sumWhere(await scrape("/istiod/metrics"), "pilot_total_xds_rejects", { type: "rds" });
    await applyReviewsVirtualService([
      { match: [{ headers: { "end-user": { regex: "(?!jason).*" } } }], route: [{ destination: { host: "reviews", subset: "v2" } }] },
    ]);
    const { total, parts } = await reviewsWindow([{ response_flags: "NR" }]);
    expect(parts[0]).toBe(total);
    const istiod = await scrape("/istiod/metrics");
    expect(sumWhere(istiod, "pilot_total_xds_rejects", { type: "rds" })).toBeGreaterThan(rejectsBefore);
    expect(sumWhere(istiod, "pilot_xds_pushes", { type: "rds" })).toBeGreaterThan(0);
  });
});
