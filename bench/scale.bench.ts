/**
 * The console at the demo's scale mode (1,000 workloads in 50 namespaces, ~5,000 edges): prints,
 * and writes to bench/results/scale-<date>.json, one table of
 *   - /api/graph p50/p95 over all namespaces (workload graph, the graph page's default window and
 *     extras) next to the same PromQL sent straight to Prometheus in the same run, and their ratio;
 *   - Prometheus queries per graph refresh for 1 and for all namespaces;
 *   - many viewers (plain HTTP clients fetching what the graph page fetches, as it asks for it,
 *     each refreshing on its own 5 s schedule) against one: the rate of queries reaching Prometheus and the console's p95;
 *   - the console's memory (RSS of its process tree) after a stretch of minutes with those viewers.
 * Nothing is asserted; the targets are printed beside the figures for the reader.
 *
 *   npx tsx bench/scale.bench.ts [--minutes 10] [--viewer-minutes 2] [--viewers 50] [--runs 20] [--node-defaults]
 *
 * The console runs with the container image's Node.js settings (bench/shippedRuntime.ts) unless
 * --node-defaults is given.
 *
 * Needs a production build (`npx next build`). Takes about 5 minutes plus --minutes.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT, startDemo } from "@/demo/orchestrate/demo";
import { graphPromql, PAST_REUSE_MS, percentile, sendStraight, sleep, timed } from "./graphPromql";
import { shippedRuntimeEnv } from "./shippedRuntime";
import { acceptGzippedJson } from "@/lib/gzippedJson";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "namespaces=50,services=20,versions=1,fanout=5" },
    "scrape-interval": { type: "string", default: "15" },
    runs: { type: "string", default: "20" },
    viewers: { type: "string", default: "50" },
    refresh: { type: "string", default: "5" },
    "viewer-minutes": { type: "string", default: "2" },
    minutes: { type: "string", default: "10" },
    window: { type: "string", default: "5m" },
    // The console's own limit on one Prometheus query (PROMETHEUS_TIMEOUT); unset keeps its default.
    "prometheus-timeout": { type: "string" },
    // Measure the console with Node.js's own defaults instead of the container image's settings.
    "node-defaults": { type: "boolean", default: false },
  },
});
const RUNS = Number(values.runs);
const VIEWERS = Number(values.viewers);
const REFRESH_MS = Number(values.refresh) * 1000;
const VIEWER_MS = Number(values["viewer-minutes"]) * 60_000;
const MEMORY_MS = Math.max(VIEWER_MS, Number(values.minutes) * 60_000);
/** Longest a single /api/graph or Prometheus call may take before it counts as failed. */
const REQUEST_TIMEOUT_MS = 90_000;

// ---- counters ------------------------------------------------------------------------------

/** Sums every sample of `metric` whose labels contain all of `labels` in a Prometheus text exposition. */
function sumSamples(exposition: string, metric: string, labels: string[]): number {
  let total = 0;
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    if (!labels.every((label) => line.includes(label))) continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

interface QueryCounters {
  /** Instant queries Prometheus answered (its own counter; counts every client). */
  prometheus: number;
  /** Prometheus calls the console made (its upstream histogram's count). */
  console: number;
}

async function queryCounters(consoleUrl: string, prometheusUrl: string): Promise<QueryCounters> {
  const text = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).text();
  const [consoleText, prometheusText] = await Promise.all([text(`${consoleUrl}/metrics`), text(`${prometheusUrl}/metrics`)]);
  return {
    prometheus: sumSamples(prometheusText, "prometheus_http_requests_total", ['handler="/api/v1/query"']),
    console: sumSamples(consoleText, "mesh_console_upstream_request_duration_seconds_count", ['upstream="prometheus"']),
  };
}

const delta = (after: QueryCounters, before: QueryCounters): QueryCounters => ({ prometheus: after.prometheus - before.prometheus, console: after.console - before.console });

/** A name for one of the graph's queries, read from what it asks for (the product names them nowhere in the PromQL). */
function concernOf(query: string): string {
  if (query.includes("histogram_quantile")) return "response time";
  if (query.includes("connection_security_policy")) return "security (mTLS)";
  if (query.includes("mesh_console_part") || query.includes("bytes")) return "bytes (TCP, throughput)";
  return "requests";
}

// ---- memory --------------------------------------------------------------------------------

/** RSS in MiB of a process and all its descendants (a Next.js server may fork workers), in all and per process. */
async function treeRss(rootPid: number): Promise<{ totalMiB: number; processes: { pid: number; command: string; rssMiB: number }[] }> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[1]) parents.set(Number(entry), Number(fields[1]));
  }
  const tree = [rootPid];
  for (let index = 0; index < tree.length && index < 1_000; index++) {
    for (const [pid, parent] of parents) if (parent === tree[index]) tree.push(pid);
  }
  const processes: { pid: number; command: string; rssMiB: number }[] = [];
  for (const pid of tree) {
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    const command = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0").slice(0, 3).join(" ");
    processes.push({ pid, command: path.basename(command), rssMiB: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024 });
  }
  return { totalMiB: processes.reduce((sum, item) => sum + item.rssMiB, 0), processes };
}

const treeRssMiB = async (rootPid: number) => (await treeRss(rootPid)).totalMiB;

// ---- viewers -------------------------------------------------------------------------------

interface Fetch {
  startedAt: number;
  ms: number;
  ok: boolean;
  /** HTTP status, or 0 when no answer came within REQUEST_TIMEOUT_MS. */
  status: number;
}

/**
 * `count` viewers, each fetching `url` every REFRESH_MS until `deadline`, their schedules spread
 * evenly over one interval as browsers opened at different moments would be. A refresh still
 * running when the next is due makes that one skip, as the graph page's polling does.
 */
async function runViewers(url: string, count: number, deadline: number): Promise<Fetch[]> {
  const fetches: Fetch[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, viewer) => {
      let due = start + (viewer * REFRESH_MS) / count;
      while (due < deadline) {
        await sleep(Math.max(0, due - performance.now()));
        const startedAt = performance.now();
        let status = 0;
        try {
          // Asked as the graph page asks (useGraph.ts): the compressed answer, read whole but not unpacked.
          const response = await fetch(url, { headers: { accept: acceptGzippedJson() }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
          await response.arrayBuffer();
          status = response.status;
        } catch {
          status = 0;
        }
        fetches.push({ startedAt: startedAt - start, ms: performance.now() - startedAt, ok: status === 200, status });
        due += REFRESH_MS;
        while (due < performance.now()) due += REFRESH_MS;
      }
    }),
  );
  return fetches;
}

interface ViewerFigures {
  viewers: number;
  minutes: number;
  refreshes: number;
  failed: number;
  /** Failed refreshes by HTTP status (0: no answer in time). */
  failedByStatus: Record<string, number>;
  p50Ms: number;
  p95Ms: number;
  prometheusQueriesPerMinute: number;
  consoleQueriesPerMinute: number;
}

function viewerFigures(viewers: number, fetches: Fetch[], counted: QueryCounters, ms: number): ViewerFigures {
  const inWindow = fetches.filter((item) => item.startedAt < ms);
  const times = inWindow.filter((item) => item.ok).map((item) => item.ms);
  return {
    viewers,
    minutes: ms / 60_000,
    refreshes: inWindow.length,
    failed: inWindow.filter((item) => !item.ok).length,
    failedByStatus: inWindow.filter((item) => !item.ok).reduce<Record<string, number>>((counts, item) => ({ ...counts, [item.status]: (counts[item.status] ?? 0) + 1 }), {}),
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    prometheusQueriesPerMinute: counted.prometheus / (ms / 60_000),
    consoleQueriesPerMinute: counted.console / (ms / 60_000),
  };
}

// ---- main ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const benchStarted = Date.now();
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-scale-"));
  // The console runs with the image's runtime settings (heap cap), as it runs in a cluster.
  const runtimeEnv = values["node-defaults"] ? {} : await shippedRuntimeEnv();
  const runtimeDescription = Object.entries(runtimeEnv).map(([key, value]) => `${key}=${value}`).join(" ") || "Node.js defaults";
  console.log(`Console runtime: ${runtimeDescription}`);
  console.log(`Starting the demo at scale (${values.scale}, scrapes every ${values["scrape-interval"]} s)…`);
  const demo = await startDemo({
    stateDir,
    ports: { console: 0, prometheus: 0, kubeApi: 0, simulator: 0 },
    scrapeIntervalSeconds: Number(values["scrape-interval"]),
    scale: values.scale,
    consoleMode: "start",
    consoleEnv: { ...runtimeEnv, ...(values["prometheus-timeout"] ? { PROMETHEUS_TIMEOUT: values["prometheus-timeout"] } : {}) },
    log: "quiet",
  });
  try {
    const consoleUrl = demo.endpoints.console as string;
    const prometheusUrl = demo.endpoints.prometheus;
    const consolePid = demo.processes.console?.child.pid;
    if (consolePid === undefined) throw new Error("The demo started no console process to measure");
    console.log(`demo up after ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`);

    // The scale mode's own namespaces (scale-000…); the demo's Bookinfo namespaces stay out of the figures.
    const namespaces = ((await (await fetch(`${consoleUrl}/api/namespaces`)).json()) as { namespaces: { name: string }[] }).namespaces
      .map((namespace) => namespace.name)
      .filter((name) => name.startsWith("scale-"))
      .sort();
    if (namespaces.length === 0) throw new Error("The console lists no scale-* namespace: did the simulator's scale mode write its objects?");
    // Exactly what the graph page asks for (components/graph/useGraph.ts), with the default window.
    const graphQuery = (names: string[]) => new URLSearchParams({ namespaces: names.join(","), graphType: "workload", duration: values.window ?? "5m" }).toString();
    const allUrl = `${consoleUrl}/api/graph?${graphQuery(namespaces)}`;
    const oneUrl = `${consoleUrl}/api/graph?${graphQuery(namespaces.slice(0, 1))}`;

    // Wait (at most 5 minutes) until the graph is complete: the same edge count twice in a row, a scrape apart.
    let graph = { nodes: [] as unknown[], edges: [] as unknown[], queryCount: 0 };
    let previousEdges = -1;
    const warmDeadline = Date.now() + 300_000;
    while (Date.now() < warmDeadline) {
      const response = await fetch(allUrl, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).catch(() => null);
      if (response?.ok) graph = (await response.json()) as typeof graph;
      if (graph.edges.length > 0 && graph.edges.length === previousEdges) break;
      previousEdges = graph.edges.length;
      await sleep(Number(values["scrape-interval"]) * 1000);
    }
    console.log(`${namespaces.length} namespaces, ${graph.nodes.length} nodes, ${graph.edges.length} edges (ready after ${((Date.now() - benchStarted) / 1000).toFixed(0)} s)`);

    // ---- 1. queries per refresh, 1 and all namespaces ----
    const countPerRefresh = async (url: string, names: string[]) => {
      const captured = await graphPromql(prometheusUrl, graphQuery(names));
      const figures = { consoleDelta: [] as number[], prometheusDelta: [] as number[], queryCount: [] as number[], statuses: [] as number[], promql: captured.perRefresh.length };
      for (let run = 0; run < 3; run++) {
        // Past the console's reuse of graphs and answers, so each refresh really asks Prometheus.
        await sleep(PAST_REUSE_MS);
        const before = await queryCounters(consoleUrl, prometheusUrl);
        const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).catch(() => null);
        const body = ((await response?.json().catch(() => null)) ?? {}) as { queryCount?: number };
        const counted = delta(await queryCounters(consoleUrl, prometheusUrl), before);
        figures.consoleDelta.push(counted.console);
        figures.prometheusDelta.push(counted.prometheus);
        figures.statuses.push(response?.status ?? 0);
        if (body.queryCount !== undefined) figures.queryCount.push(body.queryCount);
      }
      return figures;
    };
    const n1 = await countPerRefresh(oneUrl, namespaces.slice(0, 1));
    const nAll = await countPerRefresh(allUrl, namespaces);

    // ---- 2. /api/graph against the same PromQL straight to Prometheus ----
    const promql = await graphPromql(prometheusUrl, graphQuery(namespaces));
    const apiTimes: number[] = [];
    const straightTimes: number[] = [];
    const apiStatuses: number[] = [];
    const straightFailures: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await sleep(PAST_REUSE_MS);
      straightTimes.push(await timed(() => sendStraight(prometheusUrl, promql.perRefresh).catch(() => straightFailures.push(run))));
      apiTimes.push(
        await timed(async () => {
          try {
            const response = await fetch(allUrl, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
            await response.arrayBuffer();
            apiStatuses.push(response.status);
          } catch {
            apiStatuses.push(0);
          }
        }),
      );
    }
    // Which query dominates: each one alone, one after another, twice (the faster run counts).
    const perQuery: { concern: string; chars: number; ms: number }[] = [];
    for (const query of promql.perRefresh) {
      await sleep(PAST_REUSE_MS);
      const ms = Math.min(await timed(() => sendStraight(prometheusUrl, [query])), await timed(() => sendStraight(prometheusUrl, [query])));
      perQuery.push({ concern: concernOf(query), chars: query.length, ms });
    }
    const graphApi = {
      perQuery,
      runs: RUNS,
      apiStatuses,
      straightFailures: straightFailures.length,
      apiP50Ms: percentile(apiTimes, 50),
      apiP95Ms: percentile(apiTimes, 95),
      straightP50Ms: percentile(straightTimes, 50),
      straightP95Ms: percentile(straightTimes, 95),
      ratioP50: percentile(apiTimes, 50) / percentile(straightTimes, 50),
      promql: promql.perRefresh,
    };
    console.log(`graph API measured after ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`);

    // ---- 3. one viewer, then many, and memory ----
    const rss: { atMinutes: number; viewers: number; rssMiB: number }[] = [];
    const rssBaseline = await treeRssMiB(consolePid);
    rss.push({ atMinutes: 0, viewers: 0, rssMiB: rssBaseline });

    const oneBefore = await queryCounters(consoleUrl, prometheusUrl);
    const oneFetches = await runViewers(allUrl, 1, performance.now() + VIEWER_MS);
    const one = viewerFigures(1, oneFetches, delta(await queryCounters(consoleUrl, prometheusUrl), oneBefore), VIEWER_MS);
    rss.push({ atMinutes: VIEWER_MS / 60_000, viewers: 1, rssMiB: await treeRssMiB(consolePid) });

    const manyBefore = await queryCounters(consoleUrl, prometheusUrl);
    const manyStarted = performance.now();
    const manyRun = runViewers(allUrl, VIEWERS, manyStarted + MEMORY_MS);
    // Counters at the same length as the one-viewer run, so the rates compare like with like.
    await sleep(VIEWER_MS);
    const manyCounted = delta(await queryCounters(consoleUrl, prometheusUrl), manyBefore);
    let peakRssMiB = 0;
    for (let minute = 0; performance.now() - manyStarted < MEMORY_MS - 1_000 && minute < 24 * 60; minute++) {
      const rssMiB = await treeRssMiB(consolePid);
      peakRssMiB = Math.max(peakRssMiB, rssMiB);
      rss.push({ atMinutes: (performance.now() - manyStarted) / 60_000, viewers: VIEWERS, rssMiB });
      await sleep(Math.min(60_000, Math.max(0, manyStarted + MEMORY_MS - performance.now() - 500)));
    }
    const finalTree = await treeRss(consolePid);
    const finalRssMiB = finalTree.totalMiB;
    peakRssMiB = Math.max(peakRssMiB, finalRssMiB);
    rss.push({ atMinutes: (performance.now() - manyStarted) / 60_000, viewers: VIEWERS, rssMiB: finalRssMiB });
    const manyFetches = await manyRun;
    const many = viewerFigures(VIEWERS, manyFetches, manyCounted, VIEWER_MS);
    const manyAll = manyFetches.filter((item) => item.ok).map((item) => item.ms);

    // ---- the table ----
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    const spread = (values: number[]) => (values.length === 0 ? "none" : Math.min(...values) === Math.max(...values) ? `${values[0]}` : `${Math.min(...values)}–${Math.max(...values)}`);
    const failures = (figures: ViewerFigures) => Object.entries(figures.failedByStatus).map(([status, count]) => `${count}× ${status === "0" ? "no answer" : status}`).join(", ") || "none";
    const rows: [string, string, string][] = [
      ["graph size", `${namespaces.length} namespaces, ${graph.nodes.length} nodes, ${graph.edges.length} edges`, ""],
      [`/api/graph p50 / p95 (${RUNS} runs, all namespaces; ${apiStatuses.filter((status) => status !== 200).length} not 200)`, `${ms(graphApi.apiP50Ms)} / ${ms(graphApi.apiP95Ms)}`, ""],
      ["same PromQL straight to Prometheus p50 / p95", `${ms(graphApi.straightP50Ms)} / ${ms(graphApi.straightP95Ms)}`, ""],
      ["ratio /api/graph ÷ straight (p50)", `${graphApi.ratioP50.toFixed(2)}×`, "≤ 1.25"],
      ...perQuery.map((item, index): [string, string, string] => [`  query ${index + 1} alone: ${item.concern} (${item.chars.toLocaleString("en")} chars)`, ms(item.ms), ""]),
      ["Prometheus queries per refresh, 1 namespace", `${spread(n1.prometheusDelta)} (console counted ${spread(n1.consoleDelta)}, queryCount ${spread(n1.queryCount)})`, "≤ 4"],
      [`Prometheus queries per refresh, ${namespaces.length} namespaces`, `${spread(nAll.prometheusDelta)} (console counted ${spread(nAll.consoleDelta)}, queryCount ${spread(nAll.queryCount)})`, "≤ 4"],
      [`1 viewer: queries reaching Prometheus per minute`, one.prometheusQueriesPerMinute.toFixed(1), ""],
      [`${VIEWERS} viewers: queries reaching Prometheus per minute`, `${many.prometheusQueriesPerMinute.toFixed(1)} (${(many.prometheusQueriesPerMinute / one.prometheusQueriesPerMinute).toFixed(2)}× one viewer)`, "≤ 1.1×"],
      [`1 viewer: /api/graph p50 / p95 (${one.refreshes} refreshes, failed: ${failures(one)})`, `${ms(one.p50Ms)} / ${ms(one.p95Ms)}`, ""],
      [`${VIEWERS} viewers: /api/graph p50 / p95 (${many.refreshes} refreshes, failed: ${failures(many)})`, `${ms(many.p50Ms)} / ${ms(many.p95Ms)} (p95 ${(many.p95Ms / one.p95Ms).toFixed(2)}× one viewer)`, "≤ 2×"],
      [`console RSS: idle / after ${(MEMORY_MS / 60_000).toFixed(1)} min of ${VIEWERS} viewers (peak)`, `${rssBaseline.toFixed(0)} / ${finalRssMiB.toFixed(0)} MiB (${peakRssMiB.toFixed(0)})`, "≤ 300 MB"],
    ];
    console.log(`\nmesh-console at scale: ${values.scale}; window ${values.window}, refresh every ${REFRESH_MS / 1000} s, scrapes every ${values["scrape-interval"]} s, console's Prometheus timeout ${values["prometheus-timeout"] ?? "default"}; console runtime: ${runtimeDescription}`);
    console.log(`viewer runs ${(VIEWER_MS / 60_000).toFixed(1)} min each; memory after ${(MEMORY_MS / 60_000).toFixed(1)} min (--minutes ${values.minutes})\n`);
    const width = Math.max(...rows.map((row) => row[0].length));
    const valueWidth = Math.max(...rows.map((row) => row[1].length));
    for (const [label, value, target] of rows) console.log(`${label.padEnd(width)}  ${value.padEnd(valueWidth)}  ${target}`);

    const resultsDir = path.join(REPO_ROOT, "bench", "results");
    await mkdir(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `scale-${new Date().toISOString().slice(0, 10)}.json`);
    const report = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      settings: { consoleRuntime: runtimeDescription, prometheusTimeout: values["prometheus-timeout"] ?? "console default", scale: values.scale, scrapeIntervalSeconds: Number(values["scrape-interval"]), window: values.window, refreshSeconds: REFRESH_MS / 1000, viewers: VIEWERS, viewerMinutes: VIEWER_MS / 60_000, memoryMinutes: MEMORY_MS / 60_000, runs: RUNS },
      graph: { namespaces: namespaces.length, nodes: graph.nodes.length, edges: graph.edges.length },
      graphApi,
      queriesPerRefresh: { oneNamespace: n1, allNamespaces: nAll },
      viewers: { one, many, manyWholeRunP95Ms: percentile(manyAll, 95) },
      memory: { rssBaselineMiB: rssBaseline, rssFinalMiB: finalRssMiB, rssPeakMiB: peakRssMiB, finalByProcess: finalTree.processes, samples: rss },
      table: rows.map(([label, value, target]) => ({ label, value, target })),
    };
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwritten to ${path.relative(process.cwd(), file)} (whole run ${((Date.now() - benchStarted) / 60_000).toFixed(1)} min)`);
  } finally {
    await demo.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
