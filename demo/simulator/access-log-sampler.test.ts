import { describe, expect, it } from "vitest";
import { AccessLogSampler, applicationLine, type PodLogEntry } from "./access-log-sampler";
import { BOOKINFO_MODEL } from "./call-graph";
import type { MeshSnapshot } from "./mesh";
import { indexPods, type PodInfo } from "./pod-directory";
import { createRandom } from "./random";
import { reviewsSubsets, bookinfoSnapshot, virtualService } from "./testing/bookinfo-fixture";
import { TrafficEngine } from "./traffic-engine";

const NOW = Date.parse("2025-01-02T03:04:05.000Z");

/** One running pod per workload, as the emulator makes them (sidecar in bookinfo). */
function podsFor(mesh: MeshSnapshot, json: ReadonlySet<string> = new Set()): (key: string) => readonly PodInfo[] {
  const pods = new Map<string, PodInfo[]>();
  let ip = 10;
  for (const workload of mesh.workloads.values()) {
    pods.set(workload.key, [
      {
        namespace: workload.namespace,
        name: `${workload.name}-6d8f9c7b5-x2k4q`,
        ip: `10.244.0.${ip++}`,
        ...(workload.isGateway ? {} : { appContainer: workload.app }),
        hasProxy: workload.hasProxy,
        accessLogEncoding: json.has(workload.key) ? "JSON" : "TEXT",
      },
    ]);
  }
  return (key) => pods.get(key) ?? [];
}

/** Runs ticks with a sampler tapping the engine; answers the lines and the metrics' outcomes per reporter. */
function simulate(mesh: MeshSnapshot, options: { ticks: number; perProxyPerSecond: number; maxLinesPerTick?: number; json?: Set<string> }) {
  const engine = new TrafficEngine(BOOKINFO_MODEL, mesh, { edgeRps: 100, jasonShare: 0, seed: 5 });
  const sampler = new AccessLogSampler(createRandom(9), BOOKINFO_MODEL, { perProxyPerSecond: options.perProxyPerSecond, maxLinesPerTick: options.maxLinesPerTick ?? 100_000 });
  const outcomes = new Set<string>();
  engine.tapProxyReports((record) => {
    sampler.observe(record);
    const proxy = record.reporter === "source" ? record.source : record.destination;
    outcomes.add(`${proxy?.name} ${record.responseCode} ${record.responseFlags}`);
  });
  const entries: PodLogEntry[][] = [];
  for (let i = 0; i < options.ticks; i++) {
    engine.tick(NOW + i * 1000, 1000);
    entries.push(sampler.drain({ nowMs: NOW + i * 1000, tickMs: 1000, mesh, podsOf: podsFor(mesh, options.json) }));
  }
  return { entries, outcomes };
}

const TEXT_LINE = /^\[(\S+)\] "(\S+) (\S+) (\S+)" (\d+) (\S+) (\S+) - "-" (\d+) (\d+) (\d+) (\S+) "[^"]*" "[^"]*" "[0-9a-f-]{36}" "(\S+)" "(\S+)" (\S+) (\S+) (\S+) (\S+) (\S+) default$/;

describe("AccessLogSampler", () => {
  it("writes only outcomes the metrics counted, with Envoy's clusters, fault aborts included", () => {
    const mesh = bookinfoSnapshot({
      destinationRules: [reviewsSubsets()],
      virtualServices: [virtualService("reviews", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews", subset: "v2" } }], fault: { abort: { percentage: { value: 40 }, httpStatus: 503 } } }] })],
    });
    const { entries, outcomes } = simulate(mesh, { ticks: 3, perProxyPerSecond: 50 });
    const proxyLines = entries.flat().filter((e) => e.container === "istio-proxy");
    expect(proxyLines.length).toBeGreaterThan(50);
    const seen = new Set<string>();
    for (const entry of proxyLines) {
      const match = TEXT_LINE.exec(entry.line);
      expect(match, entry.line).not.toBeNull();
      const workload = entry.pod.replace(/-6d8f9c7b5-x2k4q$/, "").replace(/-v\d$/, "");
      const outcome = `${entry.pod.replace(/-6d8f9c7b5-x2k4q$/, "")} ${match?.[5]} ${match?.[6]}`;
      expect(outcomes, `${workload}: ${entry.line}`).toContain(outcome);
      seen.add(`${match?.[5]} ${match?.[6]} ${match?.[14]}`);
    }
    expect(seen).toContain("503 FI outbound|9080|v2|reviews.bookinfo.svc.cluster.local");
    expect(seen).toContain("200 - outbound|9080|v2|reviews.bookinfo.svc.cluster.local");
    expect(seen).toContain("200 - inbound|9080||");
    // The ingress gateway logs its outbound hop only.
    const gateway = proxyLines.filter((e) => e.pod.startsWith("istio-ingressgateway"));
    expect(gateway.length).toBeGreaterThan(0);
    expect(gateway.every((e) => e.line.includes("outbound|9080||productpage.bookinfo.svc.cluster.local") && e.line.includes('"203.0.113.7"'))).toBe(true);
  });

  it("writes 503 NR with no cluster for a route to an undefined subset", () => {
    const mesh = bookinfoSnapshot({ virtualServices: [virtualService("reviews", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews", subset: "v9" } }] }] })] });
    const lines = simulate(mesh, { ticks: 2, perProxyPerSecond: 50 }).entries.flat().filter((e) => e.pod.startsWith("productpage") && e.line.includes(" 503 NR "));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]?.line).toMatch(/ 503 NR route_not_found - "-" 0 0 \d+ - .* "-" - - /);
  });

  it("bounds lines per proxy and per tick, and logs answered requests in the app container", () => {
    const mesh = bookinfoSnapshot();
    const perProxy = simulate(mesh, { ticks: 2, perProxyPerSecond: 2 }).entries[1] ?? [];
    const byPod = new Map<string, number>();
    for (const e of perProxy) if (e.container === "istio-proxy") byPod.set(e.pod, (byPod.get(e.pod) ?? 0) + 1);
    expect(Math.max(...byPod.values())).toBeLessThanOrEqual(3);
    const apps = perProxy.filter((e) => e.container !== "istio-proxy");
    expect(apps.length).toBeGreaterThan(0);
    expect(apps[0]?.line).toMatch(/^(INFO|WARN|ERROR) GET \/\S* \d{3} \d+ms$/);
    expect(simulate(mesh, { ticks: 1, perProxyPerSecond: 1000, maxLinesPerTick: 25 }).entries[0]).toHaveLength(25);
  });

  it("writes JSON for pods that ask for it, and lines in time order", () => {
    const mesh = bookinfoSnapshot();
    const entries = simulate(mesh, { ticks: 1, perProxyPerSecond: 20, json: new Set(["bookinfo/details-v1"]) }).entries[0] ?? [];
    const details = entries.filter((e) => e.pod.startsWith("details-v1") && e.container === "istio-proxy");
    expect(details.length).toBeGreaterThan(0);
    expect(JSON.parse(details[0]?.line ?? "{}")).toMatchObject({ method: "GET", path: "/details/0", upstream_cluster: "inbound|9080||" });
    expect(entries.map((e) => e.time)).toEqual([...entries.map((e) => e.time)].sort());
  });
});

describe("applicationLine", () => {
  it.each([
    [200, "INFO GET /reviews/0 200 12ms"],
    [404, "WARN GET /reviews/0 404 12ms"],
    [503, "ERROR GET /reviews/0 503 12ms"],
  ])("%i", (code, line) => {
    expect(applicationLine("GET", "/reviews/0", code, 12.3)).toBe(line);
  });
});

describe("indexPods", () => {
  it("finds a pod's Deployment through its ReplicaSet and reads the JSON opt-in", () => {
    const pod = (name: string, owner: string, hash: string, annotations: Record<string, string> = {}) => ({
      metadata: { name, namespace: "mesh-lab", labels: { "pod-template-hash": hash }, annotations, ownerReferences: [{ kind: "ReplicaSet", name: owner, controller: true }] },
      spec: { containers: [{ name: "catalog" }, { name: "istio-proxy" }] },
      status: { phase: "Running", podIP: "10.244.0.30" },
    });
    const index = indexPods([
      pod("catalog-v1-5f7d8-abcde", "catalog-v1-5f7d8", "5f7d8", { "demo.mesh-console.io/access-log-encoding": "JSON" }),
      { metadata: { name: "broken" } },
      { ...pod("catalog-v1-5f7d8-zzzzz", "catalog-v1-5f7d8", "5f7d8"), status: { phase: "Pending" } },
    ]);
    expect(index.get("mesh-lab/catalog-v1")).toEqual([
      { namespace: "mesh-lab", name: "catalog-v1-5f7d8-abcde", ip: "10.244.0.30", appContainer: "catalog", hasProxy: true, accessLogEncoding: "JSON" },
    ]);
    expect(index.size).toBe(1);
  });
});
