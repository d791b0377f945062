/**
 * Can Cytoscape's experimental WebGL renderer (`renderer: { name: "canvas", webgl: true }`, since
 * 3.31) draw the graph in headless Debian Chromium, and is it faster than the canvas renderer the
 * console uses? For each set of Chromium GPU flags it prints whether the page gets a WebGL2 context
 * (and which GL implementation backs it), then, for each renderer and size, the time from creating
 * the graph (grid layout, as many edges as nodes) to the first frame, and whether that frame shows
 * anything (non-background pixels in a screenshot). A renderer that never draws is reported as such
 * after a timeout rather than waited for. Needs no demo: the page is Cytoscape alone.
 *
 *   npx tsx bench/webgl-probe.bench.ts [--sizes 2000,5000]
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import { REPO_ROOT } from "@/demo/orchestrate/demo";

const BASE_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** The GPU settings worth trying on a machine without a GPU: none, off, and the software GL paths. */
const FLAG_SETS: Record<string, string[]> = {
  "--disable-gpu": ["--disable-gpu"],
  "(no GPU flags)": [],
  "angle+swiftshader": ["--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
  "--enable-unsafe-swiftshader": ["--enable-unsafe-swiftshader"],
  "--use-gl=swiftshader": ["--use-gl=swiftshader", "--enable-unsafe-swiftshader"],
};

/** A frame that has not come after this long is "no frame"; the canvas renderer needs ~1.3 s for 5,000 nodes here. */
const FRAME_TIMEOUT_MS = 20_000;

interface ContextProbe {
  webgl2: boolean;
  glRenderer: string | null;
}

interface RenderProbe {
  renderer: "canvas" | "webgl";
  nodes: number;
  /** Creation to the first `render` event plus one animation frame; null when none came in time. */
  firstFrameMs: number | null;
  /** Whether the renderer really ran in WebGL mode (it falls back to canvas when the context is missing). */
  webglActive: boolean;
  /** Share of screenshot pixels that differ from the white background. */
  drawnShare: number;
  error: string | null;
}

async function probeContext(page: Page): Promise<ContextProbe> {
  return page.evaluate(() => {
    const gl = document.createElement("canvas").getContext("webgl2");
    if (!gl) return { webgl2: false, glRenderer: null };
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    return { webgl2: true, glRenderer: String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) };
  });
}

async function probeRender(page: Page, renderer: "canvas" | "webgl", nodes: number): Promise<RenderProbe> {
  const errors: string[] = [];
  const onError = (error: Error) => errors.push(error.message);
  page.on("pageerror", onError);
  const timing = await page.evaluate(
    async ({ nodes, webgl, timeoutMs }) => {
      const container = document.getElementById("cy") as HTMLDivElement;
      container.innerHTML = "";
      const elements: object[] = [];
      for (let index = 0; index < nodes; index++) elements.push({ group: "nodes", data: { id: `n${index}`, label: `workload-${index}` } });
      for (let index = 0; index < nodes; index++) elements.push({ group: "edges", data: { id: `e${index}`, source: `n${index}`, target: `n${(index * 7 + 1) % nodes}` } });
      const started = performance.now();
      // The global comes from the UMD build added by the probe; typing it would need the DOM lib here.
      const cytoscape = (window as unknown as { cytoscape: (options: object) => { renderer(): { webgl?: boolean; data: { contexts: unknown[] } } } }).cytoscape;
      const frame = new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        const cy = cytoscape({
          container,
          elements,
          layout: { name: "grid" },
          style: [
            { selector: "node", style: { "background-color": "#1f6feb", label: "data(label)", width: 20, height: 20, "font-size": 6 } },
            { selector: "edge", style: { width: 1, "line-color": "#888", "target-arrow-shape": "triangle", "curve-style": "straight" } },
          ],
          renderer: { name: "canvas", webgl },
        });
        (window as unknown as { __cy: unknown }).__cy = cy;
        // Not the `render` event: the WebGL mode replaces the canvas renderer's draw function and never
        // emits it. Wrapping the draw function the render loop calls times both modes alike.
        const internals = cy.renderer() as unknown as { render(options?: { forcedContext?: unknown }): void };
        const draw = internals.render;
        internals.render = function (options) {
          draw.call(this, options);
          if (options?.forcedContext) return;
          internals.render = draw;
          requestAnimationFrame(() => {
            clearTimeout(timer);
            resolve(performance.now() - started);
          });
        };
      });
      const firstFrameMs = await frame;
      const cy = (window as unknown as { __cy: { renderer(): { webgl?: boolean; data: { contexts: unknown[] } } } }).__cy;
      const internals = cy.renderer();
      return { firstFrameMs, webglActive: Boolean(internals.webgl) && internals.data.contexts[3] != null };
    },
    { nodes, webgl: renderer === "webgl", timeoutMs: FRAME_TIMEOUT_MS },
  );
  // Give a late frame a moment, then look at what is on screen.
  await page.waitForTimeout(500);
  const shot = await page.locator("#cy").screenshot({ timeout: 30_000 });
  const drawnShare = await page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d") as CanvasRenderingContext2D;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let index = 0; index < pixels.length; index += 4) if ((pixels[index] ?? 255) < 240 || (pixels[index + 1] ?? 255) < 240 || (pixels[index + 2] ?? 255) < 240) drawn += 1;
    return drawn / (pixels.length / 4);
  }, shot.toString("base64"));
  await page.evaluate(() => (window as unknown as { __cy?: { destroy(): void } }).__cy?.destroy());
  page.off("pageerror", onError);
  return { renderer, nodes, ...timing, drawnShare, error: errors[0] ?? null };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: "string", default: "2000,5000" } } });
  const sizes = (values.sizes ?? "").split(",").map(Number).filter((size) => Number.isInteger(size) && size > 0);
  const cytoscapeBundle = path.join(REPO_ROOT, "node_modules", "cytoscape", "dist", "cytoscape.umd.js");
  const results: { flags: string; chromiumArgs: string[]; context: ContextProbe; renders: RenderProbe[] }[] = [];

  for (const [label, flags] of Object.entries(FLAG_SETS)) {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: [...BASE_ARGS, ...flags] });
    try {
      const openPage = async () => {
        const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
        await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff"><div id="cy" style="width:1600px;height:1000px"></div></body></html>`);
        await page.addScriptTag({ path: cytoscapeBundle });
        return page;
      };
      let page = await openPage();
      const context = await probeContext(page);
      console.log(`${label}: WebGL2 ${context.webgl2 ? `yes (${context.glRenderer ?? "unknown GL"})` : "no"}`);
      const renders: RenderProbe[] = [];
      for (const size of sizes) {
        for (const renderer of ["canvas", "webgl"] as const) {
          // A renderer that crashes the page (as WebGL on software GL can) is a result, not the end of the probe.
          const render = await probeRender(page, renderer, size).catch(async (error: unknown): Promise<RenderProbe> => {
            await page.close().catch(() => undefined);
            page = await openPage();
            return { renderer, nodes: size, firstFrameMs: null, webglActive: false, drawnShare: 0, error: `page lost: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
          });
          console.log(`${label}: ${renderer} ${size} nodes: ${render.firstFrameMs === null ? "no frame" : `${render.firstFrameMs.toFixed(0)} ms`}`);
          renders.push(render);
        }
      }
      results.push({ flags: label, chromiumArgs: flags, context, renders });
    } finally {
      await browser.close();
    }
  }

  const chromiumVersion = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: BASE_ARGS }).then(async (browser) => {
    const version = browser.version();
    await browser.close();
    return version;
  });
  console.log(`\nCytoscape WebGL vs canvas in headless Debian Chromium ${chromiumVersion} (grid layout, as many edges as nodes; frame timeout ${FRAME_TIMEOUT_MS / 1000} s)`);
  console.log("flags                                   webgl2  GL implementation                          renderer  nodes  first frame  webgl on  drawn");
  for (const result of results) {
    for (const render of result.renders) {
      const frame = render.firstFrameMs === null ? "no frame" : `${render.firstFrameMs.toFixed(0)} ms`;
      console.log(
        `${result.flags.padEnd(40)}${(result.context.webgl2 ? "yes" : "no").padEnd(8)}${(result.context.glRenderer ?? "-").slice(0, 42).padEnd(43)}${render.renderer.padEnd(10)}${String(render.nodes).padStart(5)}  ${frame.padStart(11)}  ${(render.webglActive ? "yes" : "no").padEnd(8)}  ${(render.drawnShare * 100).toFixed(1)} %${render.error ? `  error: ${render.error.slice(0, 80)}` : ""}`,
      );
    }
  }
  const resultsDir = path.join(REPO_ROOT, "bench", "results");
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `webgl-probe-${new Date().toISOString().slice(0, 10)}.json`);
  await writeFile(file, `${JSON.stringify({ machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`, chromium: chromiumVersion, frameTimeoutMs: FRAME_TIMEOUT_MS, results }, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
