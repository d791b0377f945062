import { createServer } from "node:net";
import type { KubeClients } from "./index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createObjectCaches, MESH_RESOURCES, type CacheEvent, type ObjectCaches, type WatchedResource } from "./informers";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { clientsFor, DEMO_MANIFESTS } from "./testCluster";

const virtualServices = MESH_RESOURCES.find((resource) => resource.kind === "VirtualService") as WatchedResource;
const services = MESH_RESOURCES.find((resource) => resource.kind === "Service") as WatchedResource;
const VS = { group: "networking.istio.io", version: "v1", plural: "virtualservices" };

/** Resolves when `predicate` holds, checking after every cache event. */
function whenSeen(caches: ObjectCaches, predicate: (event: CacheEvent) => boolean): Promise<CacheEvent> {
  return new Promise((resolve) => {
    const unsubscribe = caches.subscribe((event) => {
      if (!predicate(event)) return;
      unsubscribe();
      resolve(event);
    });
  });
}

let api: KubeApi;
let admin: KubeClients;
let caches: ObjectCaches;

beforeAll(async () => {
  api = await startKubeApi({ seed: [DEMO_MANIFESTS] });
  admin = clientsFor(api.url, api.tokens.admin);
  caches = createObjectCaches(admin, MESH_RESOURCES);
  await caches.ready();
});

afterAll(async () => {
  await caches?.stop();
  await api?.close();
});

describe("watch-backed caches", () => {
  it("hold the cluster's objects after the initial lists, with kind and apiVersion on every item", () => {
    expect(caches.isReady()).toBe(true);
    const catalog = caches.get(virtualServices, "catalog", "mesh-lab");
    expect(catalog?.kind).toBe("VirtualService");
    expect(catalog?.apiVersion).toBe("networking.istio.io/v1");
    expect(caches.list(services, "mesh-lab").map((service) => service.metadata.name).sort()).toEqual(expect.arrayContaining(["catalog", "legacy", "web"]));
    expect(caches.all().some((object) => object.kind === "Pod" && object.metadata.namespace === "bookinfo")).toBe(true);
    // Timestamps stay strings, as in watch events, not the typed client's Dates.
    expect(typeof caches.get(services, "legacy", "mesh-lab")?.metadata.creationTimestamp).toBe("string");
  });

  it("see a change made through the API, and tell subscribers about it", async () => {
    const added = whenSeen(caches, (event) => event.type === "ADDED" && event.object.metadata.name === "cache-probe");
    await admin.custom.createNamespacedCustomObject({
      ...VS,
      namespace: "mesh-lab",
      body: { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "cache-probe", namespace: "mesh-lab" }, spec: { hosts: ["web"], http: [{ route: [{ destination: { host: "web" } }] }] } },
    });
    const event = await added;
    expect(event.object.kind).toBe("VirtualService");
    expect(caches.get(virtualServices, "cache-probe", "mesh-lab")).toBeDefined();

    const deleted = whenSeen(caches, (change) => change.type === "DELETED" && change.object.metadata.name === "cache-probe");
    await admin.custom.deleteNamespacedCustomObject({ ...VS, namespace: "mesh-lab", name: "cache-probe" });
    await deleted;
    expect(caches.get(virtualServices, "cache-probe", "mesh-lab")).toBeUndefined();
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

describe("when the API server is not there yet", () => {
  it("keeps retrying and becomes ready once it answers", async () => {
    const port = await freePort();
    const tokens = { admin: "test-admin-token", viewer: "test-viewer-token" };
    const late = createObjectCaches(clientsFor(`http://127.0.0.1:${port}`, tokens.admin, 1000), [services], { backoffMs: 50, maxBackoffMs: 200 });
    const ready = late.ready(20_000);
    let lateApi: KubeApi | undefined;
    try {
      // Wait until the first list has failed, so readiness must come from a restart.
      while (late.status()[0]?.restarts === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(late.isReady()).toBe(false);
      expect(late.status()[0]?.lastError).toBeTruthy();
      lateApi = await startKubeApi({ seed: [DEMO_MANIFESTS], port, tokens });
      await ready;
      expect(late.list(services, "mesh-lab").map((service) => service.metadata.name)).toContain("legacy");
    } finally {
      await late.stop();
      await lateApi?.close();
    }
  });
});

describe("a kind whose CRD is not installed", () => {
  it("counts as loaded and empty, says it is not served, and holds back no other cache", async () => {
    // An API group this API server does not serve answers 404, as the Gateway API's does on a cluster without its CRDs.
    const missing: WatchedResource = { kind: "Widget", apiVersion: "widgets.example.com/v1", plural: "widgets", optional: true };
    const partial = createObjectCaches(admin, [services, missing], { backoffMs: 50 });
    try {
      await partial.ready(5000);
      expect(partial.list(missing)).toEqual([]);
      expect(partial.list(services, "mesh-lab").length).toBeGreaterThan(0);
      expect(partial.status().find((status) => status.resource === "widgets.widgets.example.com/v1")?.absent).toBe(true);
    } finally {
      await partial.stop();
    }
  });
});
