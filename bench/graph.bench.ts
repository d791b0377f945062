/**
 * Traffic graph figures (prints, asserts nothing): /api/graph latency p50/p95 against the demo,
 * next to the time of the same PromQL queries sent straight to Prometheus in the same run, and
 * their ratio (what the console adds on top of Prometheus). Browser-side render time is not
 * measured here.
 *
 *   npx tsx bench/graph.bench.ts [--scale namespaces=50,services=20] [--runs 30]
 *
 * Without --scale the demo runs Bookinfo. Needs a production build (`npx next build`).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startDemo } from "../demo/orchestrate/demo";
import { graphPromql, PAST_REUSE_MS, percentile, sendStraight, timed } from "./graphPromql";

const { values } = parseArgs({ options: { scale: { type: "string" }, runs: { type: "string", default: "30" } } });
const RUNS = Number(values.runs);

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  const stateDir = await mkdtemp(path.join(tmpdir(), "graph-bench-"));
  const demo = await startDemo({ stateDir, ports: { console: 0, prometheus: 0, kubeApi: 0, simulator: 0 }, scrapeIntervalSeconds: 2, scale: values.scale, consoleMode: "start", log: "quiet" });
  try {
    const consoleUrl = demo.endpoints.console as string;
    const namespaces = ((await (await fetch(`${consoleUrl}/api/namespaces`)).json()) as { namespaces: { name: string }[] }).namespaces
      .map((namespace) => namespace.name)
      .filter((name) => !/^(kube-|default$)/.test(name));
    const graphQuery = `namespaces=${namespaces.join(",")}&duration=60s`;
    const graphUrl = `${consoleUrl}/api/graph?${graphQuery}`;

    // Wait until Prometheus has enough scrapes for rates over a minute.
    let nodes = 0;
    for (let attempt = 0; attempt < 60 && nodes < 3; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const response = await fetch(graphUrl);
      if (response.ok) nodes = ((await response.json()) as { nodes: unknown[] }).nodes.length;
    }
    const graph = (await (await fetch(graphUrl)).json()) as { nodes: unknown[]; edges: unknown[]; queryCount: number };
    console.log(`${values.scale ? `scale ${values.scale}` : "Bookinfo"}: ${namespaces.length} namespaces, ${graph.nodes.length} nodes, ${graph.edges.length} edges, ${graph.queryCount} PromQL queries per refresh`);

    // The PromQL of one refresh as the console's own code builds it (the once-a-minute recording-rules check aside).
    const promql = (await graphPromql(demo.endpoints.prometheus, graphQuery)).perRefresh;
    // Prometheus itself caches nothing between instant queries, so no cache-busting is needed.
    const direct = () => sendStraight(demo.endpoints.prometheus, promql);
    // The console shares graphs and queries for a few seconds; each run waits past that so it really asks Prometheus.
    const console_ = async () => {
      const response = await fetch(graphUrl);
      await response.arrayBuffer();
    };

    const apiTimes: number[] = [];
    const promTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await new Promise((resolve) => setTimeout(resolve, PAST_REUSE_MS));
      promTimes.push(await timed(direct));
      apiTimes.push(await timed(console_));
    }
    const apiP50 = percentile(apiTimes, 50);
    const promP50 = percentile(promTimes, 50);
    console.log(`/api/graph            p50 ${fmt(apiP50)}  p95 ${fmt(percentile(apiTimes, 95))}  (${RUNS} runs)`);
    console.log(`same PromQL, direct   p50 ${fmt(promP50)}  p95 ${fmt(percentile(promTimes, 95))}`);
    console.log(`ratio (p50)           ${(apiP50 / promP50).toFixed(2)}×`);
  } finally {
    await demo.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

await main();
