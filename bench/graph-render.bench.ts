/**
 * Browser side of the graph at size: Debian Chromium opens the graph page of the built console
 * (the demo's, with its Kubernetes API emulator and Prometheus) while /api/graph answers with
 * synthetic graphs of 100 to 10,000 nodes. It prints, from the page's own performance
 * marks, the time from graph data to the first frame that shows it (layout included), then the
 * time to apply a refresh that changes only rates, whether any node moved, and the longest
 * main-thread task during that refresh. At the `--animation-sizes` it measures the same with the
 * traffic animation on, and the frames the page painted meanwhile (mean and longest gap between
 * frames over 3 s after the refresh). Needs a build (`npx next build`).
 *
 *   npx tsx bench/graph-render.bench.ts [--sizes 100,1000,5000,10000] [--animation-sizes 1000]
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
  animation: boolean;
  edges: number;
  firstFrameMs: number;
  rateRefreshMs: number;
  nodesMoved: number;
  longestTaskDuringRefreshMs: number;
  /** With the animation on: frames painted in the 3 s after the refresh, as mean and longest gap. */
  frames?: { meanGapMs: number; longestGapMs: number };
}

const FRAME_WINDOW_MS = 3_000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: "string", default: "100,1000,5000,10000" }, "animation-sizes": { type: "string", default: "1000" } } });
  const sizesOf = (list: string | undefined) => (list ?? "").split(",").map(Number).filter((size) => Number.isInteger(size) && size > 0);
  const runs = [...sizesOf(values.sizes).map((size) => ({ size, animation: false })), ...sizesOf(values["animation-sizes"]).map((size) => ({ size, animation: true }))];
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
    for (const { size, animation } of runs) {
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

      await page.goto(`${demo.endpoints.console}/graph?namespaces=${graph.namespaces.join(",")}&refresh=off&graphType=workload${animation ? "&animation=on" : ""}`);
      await page.waitForFunction((name) => performance.getEntriesByName(name, "measure").length >= 1, GRAPH_FRAME_MEASURE, { timeout: 300_000 });
      const firstFrameMs = (await measures())[0] ?? NaN;

      const before = await page.evaluate(() => window.__meshGraph?.positions() ?? {});
      graph = syntheticGraph(size, 1.7);
      await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));
      await page.getByRole("button", { name: "Refresh now" }).click();
      await page.waitForFunction((name) => performance.getEntriesByName(name, "measure").length >= 2, GRAPH_FRAME_MEASURE, { timeout: 300_000 });
      const rateRefreshMs = (await measures())[1] ?? NaN;
      // Frames the page paints after the refresh: with the animation on, every frame draws its dots.
      // Passed as text: the bundler's helper names (esbuild's __name) do not exist in the page.
      const frames = animation
        ? await page.evaluate<{ meanGapMs: number; longestGapMs: number }>(`new Promise((resolve) => {
            const stamps = [];
            const tick = (now) => {
              stamps.push(now);
              if (now - stamps[0] < ${FRAME_WINDOW_MS}) return requestAnimationFrame(tick);
              const gaps = stamps.slice(1).map((stamp, index) => stamp - stamps[index]);
              resolve({ meanGapMs: gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length), longestGapMs: Math.max(0, ...gaps) });
            };
            requestAnimationFrame(tick);
          })`)
        : undefined;
      const after = await page.evaluate(() => window.__meshGraph?.positions() ?? {});
      const longest = await page.evaluate(() => Math.max(0, ...(window as unknown as { __longTasks: number[] }).__longTasks));
      const nodesMoved = Object.entries(before).filter(([id, position]) => {
        const now = after[id];
        return !now || Math.abs(now.x - position.x) > 0.5 || Math.abs(now.y - position.y) > 0.5;
      }).length;
      results.push({ nodes: size, animation, edges: graph.edges.length, firstFrameMs, rateRefreshMs, nodesMoved, longestTaskDuringRefreshMs: longest, ...(frames ? { frames } : {}) });
      await page.close();
    }
  } finally {
    await browser.close();
    await demo.stop();
  }

  console.log("\nGraph rendering in Debian Chromium (canvas renderer), data → first frame, layout included");
  console.log("nodes   edges  animation   first frame   rate-only refresh   nodes moved   longest task in refresh   frame gap mean / longest");
  for (const row of results) {
    console.log(
      `${String(row.nodes).padStart(5)} ${String(row.edges).padStart(7)} ${(row.animation ? "on" : "off").padStart(10)} ${row.firstFrameMs.toFixed(0).padStart(10)} ms ${row.rateRefreshMs.toFixed(0).padStart(15)} ms ${String(row.nodesMoved).padStart(12)} ${row.longestTaskDuringRefreshMs.toFixed(0).padStart(18)} ms ${row.frames ? `${row.frames.meanGapMs.toFixed(1)} / ${row.frames.longestGapMs.toFixed(0)} ms` : ""}`,
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
