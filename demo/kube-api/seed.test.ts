/**
 * The demo's seed manifests: they load, they carry the deliberate misconfigurations the
 * console should find, and Bookinfo matches Istio's sample (../shared, skipped when absent).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCluster } from "./cluster";
import type { KubeObject } from "./object";
import { RESOURCE_TYPES } from "./resources";
import { applySeed, readSeedDocuments } from "./seed";

const MANIFESTS = path.resolve(__dirname, "../manifests");
const type = (kind: string) => {
  const found = RESOURCE_TYPES.find((t) => t.kind === kind);
  if (!found) throw new Error(kind);
  return found;
};

async function seeded() {
  const registry = createCluster();
  applySeed(registry, await readSeedDocuments([MANIFESTS]));
  return registry;
}

const spec = <T>(o: KubeObject | undefined) => o?.spec as T;

describe("demo seed", () => {
  it("runs Bookinfo, the control plane and mesh-lab with injected pods where labelled", async () => {
    const registry = await seeded();
    const namespaces = registry.store.list(type("Namespace"));
    expect(Object.fromEntries(namespaces.map((n) => [n.metadata.name, n.metadata.labels?.["istio-injection"] ?? null]))).toEqual({
      "ambient-lab": null,
      "ambient-shop": null,
      bookinfo: "enabled",
      "istio-system": null,
      "mesh-lab": "enabled",
      payments: "enabled",
      "shop-clients": "enabled",
      storefront: "enabled",
    });
    // Ambient namespaces are enrolled by the data-plane label instead of injection.
    expect(namespaces.filter((n) => n.metadata.labels?.["istio.io/dataplane-mode"] === "ambient").map((n) => n.metadata.name).sort()).toEqual(["ambient-lab", "ambient-shop"]);
    const bookinfoPods = registry.store.list(type("Pod"), "bookinfo");
    expect(bookinfoPods.map((p) => p.metadata.labels?.app).sort()).toEqual(["details", "mongodb", "productpage", "ratings", "reviews", "reviews", "reviews"]);
    expect(bookinfoPods.every((p) => spec<{ containers: { name: string }[] }>(p).containers.some((c) => c.name === "istio-proxy"))).toBe(true);
    const istiod = registry.store.get(type("Service"), "istio-system", "istiod");
    expect(spec<{ ports: { port: number }[] }>(istiod).ports.map((p) => p.port)).toEqual([15010, 15012, 443, 15014]);
    const mongo = registry.store.get(type("Service"), "bookinfo", "mongodb");
    expect(spec<{ ports: { name: string }[] }>(mongo).ports[0]?.name).toBe("tcp-mongo");
    const gateway = registry.store.get(type("Gateway"), "bookinfo", "bookinfo-gateway");
    expect(spec<{ selector: Record<string, string> }>(gateway).selector).toEqual({ istio: "ingressgateway" });
    expect(registry.store.list(type("Pod"), "istio-system").some((p) => p.metadata.labels?.istio === "ingressgateway")).toBe(true);
  });

  it("runs payments' batch-export without a proxy (it opts out of injection) and ledger with one", async () => {
    const registry = await seeded();
    const proxied = Object.fromEntries(registry.store.list(type("Pod"), "payments").map((p) => [p.metadata.labels?.app, spec<{ containers: { name: string }[] }>(p).containers.some((c) => c.name === "istio-proxy")]));
    expect(proxied).toEqual({ ledger: true, "batch-export": false });
  });

  it("defines subsets v1-v3 for reviews, v1 for productpage, details and ratings (each subset selects pods)", async () => {
    const registry = await seeded();
    const subsets = (name: string) => spec<{ subsets: { name: string }[] }>(registry.store.get(type("DestinationRule"), "bookinfo", name)).subsets.map((s) => s.name);
    expect([subsets("reviews"), subsets("productpage"), subsets("details"), subsets("ratings")]).toEqual([["v1", "v2", "v3"], ["v1"], ["v1"], ["v1"]]);
  });

  it("carries mesh-lab's deliberate misconfigurations", async () => {
    const registry = await seeded();
    const vs = spec<{ http: { route: { destination: { subset?: string } }[] }[] }>(registry.store.get(type("VirtualService"), "mesh-lab", "catalog"));
    const dr = spec<{ subsets: { name: string }[] }>(registry.store.get(type("DestinationRule"), "mesh-lab", "catalog"));
    const routed = vs.http.flatMap((h) => h.route.map((r) => r.destination.subset));
    expect(routed.filter((s) => !dr.subsets.some((d) => d.name === s))).toEqual(["v2"]);

    const legacy = spec<{ ports: { name: string }[] }>(registry.store.get(type("Service"), "mesh-lab", "legacy"));
    expect(legacy.ports[0]?.name).toBe("web");

    const selector = spec<{ selector: Record<string, string> }>(registry.store.get(type("Gateway"), "mesh-lab", "lab-gateway")).selector;
    const allPods = registry.store.list(type("Pod"));
    expect(allPods.filter((p) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v))).toEqual([]);
    expect(registry.store.list(type("Pod"), "mesh-lab").length).toBeGreaterThan(0);
  });

  it("names the file and document of a seed the server refuses", async () => {
    const registry = createCluster();
    const documents = [{ source: "broken.yaml document 1", object: { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "x", namespace: "ghost" }, spec: {} } }];
    expect(() => applySeed(registry, documents)).toThrowError('broken.yaml document 1: 404 NotFound: namespaces "ghost" not found');
  });
});

const SAMPLE = path.resolve(__dirname, "../../../shared/corpus/bookinfo/bookinfo.yaml");
const haveSample = existsSync(SAMPLE);
if (!haveSample) console.warn(`seed.test.ts: comparison with Istio's Bookinfo skipped: ${SAMPLE} not found (../shared is absent)`);

describe.skipIf(!haveSample)("Bookinfo compared with Istio's sample", () => {
  it("has the same services, ports, service accounts and workload labels", async () => {
    const sample = (await readSeedDocuments([SAMPLE])).map((d) => d.object as unknown as KubeObject);
    const ours = (await readSeedDocuments([MANIFESTS])).map((d) => d.object as unknown as KubeObject).filter((o) => o.metadata.namespace === "bookinfo");
    const summary = (objects: KubeObject[], kind: string, describe: (o: KubeObject) => string) =>
      objects.filter((o) => o.kind === kind).map(describe).sort();
    const service = (o: KubeObject) => `${o.metadata.name} ${spec<{ ports: { name: string; port: number }[] }>(o).ports.map((p) => `${p.name}:${p.port}`).join(",")}`;
    const workload = (o: KubeObject) => `${o.metadata.name} ${JSON.stringify(spec<{ template: { metadata: { labels: unknown } } }>(o).template.metadata.labels)}`;
    const sampleServices = summary(sample, "Service", service);
    expect(summary(ours, "Service", service).filter((s) => !s.startsWith("mongodb"))).toEqual(sampleServices);
    expect(summary(ours, "ServiceAccount", (o) => o.metadata.name).filter((s) => !s.includes("mongodb"))).toEqual(summary(sample, "ServiceAccount", (o) => o.metadata.name));
    expect(summary(ours, "Deployment", workload).filter((s) => !s.startsWith("mongodb"))).toEqual(summary(sample, "Deployment", workload));
  });
});
