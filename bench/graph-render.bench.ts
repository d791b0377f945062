/**
 * Browser side of the graph at size: Debian Chromium opens the graph page of the built console
 * (the demo's, with its Kubernetes API emulator and Prometheus) while /api/graph answers with
 * synthetic graphs of 100, 1,000 and 5,000 nodes. It prints, from the page's own performance
 * marks, the time from graph data to the first frame that shows it (layout included), then the
 * time to apply a refresh that changes only rates, whether any node moved, and the longest
 * main-thread task during that refresh. Needs a build (`npx next build`).
 *
 *   npx tsx bench/graph-render.bench.ts [--sizes 100,1000,5000]
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { GRAPH_FRAME_MEASURE } from "@/lib/graph/renderTiming";
import { REPO_ROOT, startDemo } from "@/demo/orchestrate/demo";
import { syntheticGraph } from "./syntheticGraph";

interface RenderFigures {
  nodes: number;
  edges: number;
  firstFrameMs: number;
  rateRefreshMs: number;
  nodesMoved: number;
  longestTaskDuringRefreshMs: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: "string", default: "100,1000,5000" } } });
  const sizes = (values.sizes ?? "").split(",").map(Number).filter((size) => Number.isInteger(size) && size > 0);
  const demo = await startDemo({
    stateDir: path.join(os.tmpdir(), `mesh-console-graph-render-${process.pid}`),
    ports: { console: 0, prometheus: 0, kubeApi: 0, simulator: 0 },
    scrapeIntervalSeconds: 5,
    consoleMode: "start",
    log: "quiet",
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const results: RenderFigures[] = [];
  try {
    for (const size of sizes) {
      let graph = syntheticGraph(size, 1);
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await page.route("**/api/graph?**", (route) => route.fulfill({ json: graph }));
      await page.addInitScript(() => {
        const tasks: number[] = [];
        (window as unknown as { __longTasks: number[] }).__longTasks = tasks;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) tasks.push(entry.duration);
        }).observe({ type: "longtask", buffered: true });
      });
      const measures = () => page.evaluate((name) => performance.getEntriesByName(name, "measure").map((entry) => entry.duration), GRAPH_FRAME_MEASURE);

      await page.goto(`${demo.endpoints.console}/graph?namespaces=${graph.namespaces.join(",")}&refresh=off&graphType=workload`);
      await page.waitForFunction((name) => performance.getEntriesByName(name, "measure").length >= 1, GRAPH_FRAME_MEASURE, { timeout: 300_000 });
      const firstFrameMs = (await measures())[0] ?? NaN;

      const before = await page.evaluate(() => window.__meshGraph?.positions() ?? {});
      graph = syntheticGraph(size, 1.7);
      await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));
      await page.getByRole("button", { name: "Refresh now" }).click();
      await page.waitForFunction((name) => performance.getEntriesByName(name, "measure").length >= 2, GRAPH_FRAME_MEASURE, { timeout: 300_000 });
      const rateRefreshMs = (await measures())[1] ?? NaN;
      const after = await page.evaluate(() => window.__meshGraph?.positions() ?? {});
      const longest = await page.evaluate(() => Math.max(0, ...(window as unknown as { __longTasks: number[] }).__longTasks));
      const nodesMoved = Object.entries(before).filter(([id, position]) => {
        const now = after[id];
        return !now || Math.abs(now.x - position.x) > 0.5 || Math.abs(now.y - position.y) > 0.5;
      }).length;
      results.push({ nodes: size, edges: graph.edges.length, firstFrameMs, rateRefreshMs, nodesMoved, longestTaskDuringRefreshMs: longest });
      await page.close();
    }
  } finally {
    await browser.close();
    await demo.stop();
  }

  console.log("\nGraph rendering in Debian Chromium (canvas renderer), data → first frame, layout included");
  console.log("nodes   edges   first frame   rate-only refresh   nodes moved   longest task in refresh");
  for (const row of results) {
    console.log(
      `${String(row.nodes).padStart(5)} ${String(row.edges).padStart(7)} ${row.firstFrameMs.toFixed(0).padStart(10)} ms ${row.rateRefreshMs.toFixed(0).padStart(15)} ms ${String(row.nodesMoved).padStart(12)} ${row.longestTaskDuringRefreshMs.toFixed(0).padStart(18)} ms`,
    );
  }
  const resultsDir = path.join(REPO_ROOT, "bench", "results");
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `graph-render-${new Date().toISOString().slice(0, 10)}.json`);
  await writeFile(file, `${JSON.stringify({ machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`, results }, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
