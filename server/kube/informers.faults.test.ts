/**
 * The watch caches across an API server restart that loses its history: the emulator re-seeds
 * from the manifests and counts resourceVersions from the start again, as a server restored from
 * an etcd backup would. The caches must end up with exactly what the new server holds.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { freePort } from "@/demo/orchestrate/ports";
import { createObjectCaches, MESH_RESOURCES, type CacheEvent, type ObjectCaches, type WatchedResource } from "./informers";
import { clientsFor, DEMO_MANIFESTS } from "./testCluster";

const virtualServices = MESH_RESOURCES.find((resource) => resource.kind === "VirtualService") as WatchedResource;
const VS = { group: "networking.istio.io", version: "v1", plural: "virtualservices" };
const tokens = { admin: "faults-admin-token", viewer: "faults-viewer-token" };

let api: KubeApi | undefined;
let caches: ObjectCaches | undefined;
afterAll(async () => {
  await caches?.stop();
  await api?.close();
});

function virtualService(name: string) {
  return { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name, namespace: "mesh-lab" }, spec: { hosts: ["web"], http: [{ route: [{ destination: { host: "web" } }] }] } };
}

describe("watch caches across an API server restart", () => {
  it("list again after reconnecting: changes made after the restart arrive and objects the new server lacks are dropped", async () => {
    const port = await freePort();
    api = await startKubeApi({ seed: [DEMO_MANIFESTS], port, tokens });
    const clients = clientsFor(`http://127.0.0.1:${port}`, tokens.admin, 1000);
    caches = createObjectCaches(clients, [virtualServices], { backoffMs: 50, maxBackoffMs: 200 });
    await caches.ready();
    const events: CacheEvent[] = [];
    caches.subscribe((event) => events.push(event));

    // Ten changes take the old server's resourceVersion well past what the new one starts at.
    for (let index = 0; index < 10; index++) await clients.custom.createNamespacedCustomObject({ ...VS, namespace: "mesh-lab", body: virtualService(`before-${index}`) });
    await expect.poll(() => caches!.get(virtualServices, "before-9", "mesh-lab")).toBeDefined();

    await api.close();
    // Wait until the cache has noticed the server is gone, so it must recover by itself.
    await expect.poll(() => caches!.status()[0]?.restarts ?? 0).toBeGreaterThan(0);
    api = await startKubeApi({ seed: [DEMO_MANIFESTS], port, tokens });
    await clients.custom.createNamespacedCustomObject({ ...VS, namespace: "mesh-lab", body: virtualService("after-restart") });

    await expect.poll(() => caches!.get(virtualServices, "after-restart", "mesh-lab"), { timeout: 10_000 }).toBeDefined();
    await expect.poll(() => caches!.get(virtualServices, "before-9", "mesh-lab"), { timeout: 10_000 }).toBeUndefined();
    expect(events.filter((event) => event.type === "DELETED").map((event) => event.object.metadata.name)).toEqual(expect.arrayContaining(["before-0", "before-9"]));
    expect(caches.list(virtualServices).map((object) => object.metadata.name).sort()).toEqual(["after-restart", "bookinfo", "catalog", "search"]);
  });
});
