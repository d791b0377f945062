import { describe, expect, it } from "vitest";
import { BOOKINFO_MODEL } from "./call-graph";
import type { PodInfo } from "./pod-directory";
import { httpServiceDiscovery, podOfPath, scrapePods } from "./pod-scrape";
import { TrafficEngine } from "./traffic-engine";
import { parseExposition, sumWhere } from "./testing/exposition";
import { ambientSnapshot } from "./testing/storefront-fixture";

function pod(namespace: string, name: string, extra: Partial<PodInfo> = {}): PodInfo {
  return { namespace, name, ip: "10.244.0.9", hasProxy: false, accessLogEncoding: "TEXT", ...extra };
}

describe("per-pod scrape targets", () => {
  const pods = [
    { key: "ambient-shop/cart-v1", pod: pod("ambient-shop", "cart-v1-b") },
    { key: "ambient-shop/waypoint", pod: pod("ambient-shop", "waypoint-x", { hasProxy: true }) },
    { key: "shop-clients/buyer", pod: pod("shop-clients", "buyer-a", { hasProxy: true, app: "buyer" }) },
    { key: "istio-system/ztunnel-d7k2p", pod: pod("istio-system", "ztunnel-d7k2p", { hasProxy: true, app: "ztunnel", node: "demo-worker" }) },
    { key: "istio-system/ztunnel-x4m9q", pod: pod("istio-system", "ztunnel-x4m9q", { hasProxy: true, app: "ztunnel", node: "demo-worker-2" }) },
  ];

  it("lists every proxy pod, ztunnel's by node, and no ambient application pod", () => {
    const targets = scrapePods(pods);
    expect(targets.map((t) => [t.name, t.owner])).toEqual([
      ["waypoint-x", "ambient-shop/waypoint"],
      ["buyer-a", "shop-clients/buyer"],
      ["ztunnel-d7k2p", "ztunnel@demo-worker"],
      ["ztunnel-x4m9q", "ztunnel@demo-worker-2"],
    ]);
    const sd = httpServiceDiscovery(targets, "127.0.0.1:20091");
    expect(sd[3]).toEqual({
      targets: ["127.0.0.1:20091"],
      labels: { __metrics_path__: "/metrics/pods/istio-system/ztunnel-x4m9q", namespace: "istio-system", pod: "ztunnel-x4m9q", app: "ztunnel" },
    });
    expect(podOfPath("/metrics/pods/istio-system/ztunnel-x4m9q")).toEqual({ namespace: "istio-system", name: "ztunnel-x4m9q" });
    expect(podOfPath("/metrics/pods/istio-system")).toBeUndefined();
  });

  it("gives each pod its proxy's own series, split so the pods add up to the proxy's counters", () => {
    const engine = new TrafficEngine(BOOKINFO_MODEL, ambientSnapshot(), { edgeRps: 0, jasonShare: 0, seed: 3 });
    for (let t = 0; t < 20; t++) engine.tick(t * 1000, 1000);
    const all = parseExposition(engine.store.render());
    const node2 = parseExposition([...engine.store.podChunks("ztunnel@demo-worker-2", 0, 1)].join(""));
    // cart's pods run on demo-worker-2: its ztunnel reports them as the destination, and nothing as the source.
    expect(node2.length).toBeGreaterThan(0);
    expect(node2.every((s) => !s.name.startsWith("istio_tcp") || (s.labels["reporter"] === "destination" && s.labels["destination_canonical_service"] === "cart"))).toBe(true);
    const waypointPods = [0, 1, 2].map((index) => parseExposition([...engine.store.podChunks("ambient-shop/waypoint", index, 3)].join("")));
    const total = sumWhere(all, "istio_requests_total", { reporter: "waypoint" });
    expect(total).toBeGreaterThan(0);
    expect(waypointPods.reduce((sum, samples) => sum + sumWhere(samples, "istio_requests_total", { reporter: "waypoint" }), 0)).toBe(total);
    for (const samples of waypointPods) {
      expect(samples.every((s) => Number.isInteger(s.value) || s.name.endsWith("_sum"))).toBe(true);
      expect(samples.filter((s) => s.name === "istio_requests_total").every((s) => s.labels["reporter"] === "waypoint")).toBe(true);
    }
  });
});
