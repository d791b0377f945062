/**
 * The graph page's reading features against the demo: legible at first sight in a 1440×900
 * window, config badges linked to their objects, replay of past frames, exports, Kiali-level
 * find/hide with help and presets, and the graph centred on a node from a detail page.
 */
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { meshObjects } from "./graphCanvas";

test.use({ viewport: { width: 1440, height: 900 } });

const REVIEWS_V2 = "versionedApp~bookinfo~reviews~v2";

async function nodeIds(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__meshGraph?.nodeIds() ?? []);
}

async function waitForBookinfo(page: Page): Promise<void> {
  await expect.poll(async () => (await nodeIds(page)).includes(REVIEWS_V2), { timeout: 45_000, intervals: [1_000] }).toBe(true);
}

test.describe("graph page features", () => {
  test("is legible at first paint: names at 11 px or more, edge labels drawn, legend lock as an icon", async ({ page }) => {
    await page.goto("/graph?namespaces=bookinfo");
    await waitForBookinfo(page);
    const fontPx = await page.evaluate(() => window.__meshGraph?.nodeLabelScreenPx() ?? 0);
    expect(fontPx).toBeGreaterThanOrEqual(11);
    // The default edge labels (request rates) are drawn without zooming in.
    await expect.poll(() => page.evaluate(() => window.__meshGraph?.drawnEdgeLabelCount() ?? 0), { timeout: 15_000 }).toBeGreaterThan(2);
    // The drawing uses the canvas's height too, not one long row.
    const positions = await page.evaluate(() => window.__meshGraph?.positions() ?? {});
    const ys = Object.values(positions).map((position) => position.y);
    const xs = Object.values(positions).map((position) => position.x);
    expect((Math.max(...ys) - Math.min(...ys)) / (Math.max(...xs) - Math.min(...xs))).toBeGreaterThan(0.3);
    // Opening a node's side panel does not shrink the canvas.
    const before = await page.getByTestId("graph-canvas").boundingBox();
    await page.goto(`/graph?namespaces=bookinfo&focus=${encodeURIComponent(REVIEWS_V2)}`);
    await waitForBookinfo(page);
    await expect(page.getByTestId("side-panel")).toBeVisible();
    const after = await page.getByTestId("graph-canvas").boundingBox();
    expect(after?.width).toBe(before?.width);
    expect(after?.height).toBe(before?.height);
    expect(await page.evaluate(() => window.__meshGraph?.nodeLabelScreenPx() ?? 0)).toBeGreaterThanOrEqual(11);
    // The legend's lock is an SVG icon, drawn whatever fonts the machine has; no emoji remains.
    const legend = page.getByRole("region", { name: "Legend" });
    await expect(legend.getByTestId("legend-lock")).toBeVisible();
    expect(await legend.textContent()).not.toMatch(/[\u{1F300}-\u{1FAFF}\u26D4]/u);
  });

  test("shows config badges that link to their objects, and the display menu turns them off", async ({ page }) => {
    const custom = meshObjects();
    const target = { group: "networking.istio.io", version: "v1", namespace: "bookinfo", plural: "destinationrules" };
    const name = "e2e-ratings-breaker";
    await custom.deleteNamespacedCustomObject({ ...target, name }).catch(() => undefined);
    await custom.createNamespacedCustomObject({
      ...target,
      body: { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name, namespace: "bookinfo" }, spec: { host: "ratings", trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s" } } } },
    });
    try {
      const ratings = "service~bookinfo~ratings~";
      await page.goto(`/graph?namespaces=bookinfo&focus=${encodeURIComponent(ratings)}`);
      const badges = page.getByRole("region", { name: "Config badges" });
      await expect(badges).toContainText("Circuit breaker", { timeout: 45_000 });
      const link = badges.getByRole("link", { name: `DestinationRule bookinfo/${name}` });
      await expect(link).toHaveAttribute("href", `/istio/bookinfo/DestinationRule/${name}`);
      // From the keyboard: the link takes focus and opens the object.
      await link.focus();
      await expect(link).toBeFocused();
      const graph = await page.evaluate(async () => (await fetch("/api/graph?namespaces=bookinfo&appenders=security")).json());
      const node = graph.nodes.find((candidate: { id: string }) => candidate.id === ratings);
      expect(node.config).toContainEqual({ badge: "circuitBreaker", objects: [{ kind: "DestinationRule", namespace: "bookinfo", name }] });
      // Badges come from config: the graph costs no more queries than without them.
      expect(graph.queryCount).toBeLessThanOrEqual(3);
      // The display menu turns them off, in the URL.
      await page.getByText("Display", { exact: true }).click();
      // The box follows the URL, so it changes once the page has written it there.
      await page.getByRole("checkbox", { name: "Config badges" }).click();
      await expect(page.getByRole("checkbox", { name: "Config badges" })).not.toBeChecked();
      await expect(page).toHaveURL(/badges=off/);
      await link.press("Enter");
      await expect(page).toHaveURL(new RegExp(`/istio/bookinfo/DestinationRule/${name}`));
    } finally {
      await custom.deleteNamespacedCustomObject({ ...target, name }).catch(() => undefined);
    }
  });

  test("replays past frames with nodes in place, and the URL carries the time and window", async ({ page, request }) => {
    test.setTimeout(240_000);
    // Frames a minute and a half back need the demo to have been scraped that long.
    await expect
      .poll(
        async () => {
          const graph = await (await request.get(`/api/graph?namespaces=bookinfo&appenders=security&queryTime=${Math.floor(Date.now() / 1000) - 90}`)).json();
          return (graph.nodes as { id: string }[]).some((node) => node.id === REVIEWS_V2);
        },
        { timeout: 180_000, intervals: [5_000] },
      )
      .toBe(true);
    await page.goto("/graph?namespaces=bookinfo");
    await waitForBookinfo(page);
    const live = await page.evaluate(() => window.__meshGraph?.positions() ?? {});
    const frames: string[] = [];
    const frameAt = () => Number(new URL(page.url()).searchParams.get("at"));
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith("/api/graph")) frames.push(url.searchParams.get("queryTime") ?? "live");
    });
    await page.getByRole("button", { name: "Replay…" }).click();
    await expect(page).toHaveURL(/at=\d+/);
    // A start picked in the browser's own time zone.
    const start = await page.evaluate(() => {
      const date = new Date(Date.now() - 240_000);
      const pad = (value: number) => String(value).padStart(2, "0");
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
    });
    await page.getByLabel("Replay start").fill(start);
    await expect.poll(() => Number(new URL(page.url()).searchParams.get("replayFrom"))).toBe(Math.floor(new Date(start).getTime() / 1000));
    // The slider's end is now (the window reaches past it): the frame there shows the traffic seen live.
    const slider = page.getByRole("slider", { name: "Replay position" });
    await slider.fill(String(await slider.getAttribute("max")));
    await expect.poll(() => Date.now() / 1000 - frameAt()).toBeLessThan(40);
    const end = frameAt();
    await page.getByRole("button", { name: "Step back" }).click();
    await expect.poll(frameAt).toBe(end - 30);
    await page.getByRole("button", { name: "Step back" }).click();
    await expect.poll(frameAt).toBe(end - 60);
    const at = end - 60;
    await expect.poll(() => frames.includes(String(at))).toBe(true);
    await waitForBookinfo(page);
    await page.getByRole("button", { name: "Step forward" }).click();
    await expect.poll(frameAt).toBe(at + 30);
    await expect.poll(() => frames.includes(String(at + 30))).toBe(true);
    await waitForBookinfo(page);
    // The frames show the same nodes where they were.
    const replayed = await page.evaluate(() => window.__meshGraph?.positions() ?? {});
    for (const [id, position] of Object.entries(replayed)) if (live[id]) expect(position, `node ${id} moved`).toEqual(live[id]);
    // Play moves on by itself, frame after frame, and stops at the end of the window (now).
    await page.getByRole("button", { name: "Step back" }).click();
    await expect.poll(frameAt).toBe(at);
    await page.getByRole("button", { name: "Play" }).click();
    await expect.poll(frameAt, { timeout: 20_000 }).toBeGreaterThanOrEqual(at + 60);
    await expect(page.getByRole("button", { name: "Play" })).toBeVisible({ timeout: 20_000 });
    expect(new URL(page.url()).searchParams.get("replay")).toBeNull(); // the default window, 10m, is left out of the link
    // A shared link opens the same frame.
    const link = page.url();
    const frame = new URL(link).searchParams.get("at");
    await page.goto(link);
    await expect(page.getByTestId("replay-time")).toBeVisible();
    await expect.poll(() => frames.includes(frame ?? "")).toBe(true);
    await page.getByRole("button", { name: "Back to live" }).click();
    await expect(page).not.toHaveURL(/at=/);
  });

  test("exports the view as PNG and SVG with time and legend, and the graph as JSON and DOT", async ({ page, request }) => {
    await page.goto("/graph?namespaces=bookinfo");
    await waitForBookinfo(page);
    await page.getByText("Export", { exact: true }).click();
    const exportMenu = page.getByRole("group", { name: "Export the graph" });

    const svgDownload = page.waitForEvent("download");
    await exportMenu.getByRole("button", { name: "View as SVG" }).click();
    const svg = await readFile((await (await svgDownload).path()) ?? "", "utf8");
    expect(svg).toContain("<svg");
    expect(svg).toContain(">reviews</text>");
    expect(svg).toContain("Versioned app graph");
    expect(svg).toContain("CB circuitBreaker");

    const pngDownload = page.waitForEvent("download");
    await exportMenu.getByRole("button", { name: "View as PNG" }).click();
    const png = await readFile((await (await pngDownload).path()) ?? "");
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect((await (await pngDownload).suggestedFilename())).toMatch(/^mesh-graph-bookinfo-.*\.png$/);

    const dotDownload = page.waitForEvent("download");
    await exportMenu.getByRole("link", { name: "Graph as DOT" }).click();
    const dot = await readFile((await (await dotDownload).path()) ?? "", "utf8");
    expect(dot).toMatch(/^digraph "mesh bookinfo" \{/);
    expect(dot).toContain(`"${REVIEWS_V2}" [label="reviews\\nv2"`);

    const json = await request.get("/api/graph?namespaces=bookinfo&format=json");
    expect(json.headers()["content-disposition"]).toMatch(/attachment; filename="mesh-graph-bookinfo-.*\.json"/);
    expect((await json.json()).nodes.length).toBeGreaterThan(5);
    // The API checks its parameters as the graph does.
    const wrong = await request.get("/api/graph?namespaces=bookinfo&format=xml");
    expect(wrong.status()).toBe(400);
    expect((await wrong.json()).error.message).toContain("format");
  });

  test("finds with Kiali's operands, explains a wrong expression with its position, lists every operand and applies presets", async ({ page }) => {
    await page.goto("/graph?namespaces=bookinfo");
    await waitForBookinfo(page);
    const find = page.getByRole("searchbox", { name: "Find" });
    await find.fill("rpm>0 and colour=red");
    await find.press("Enter");
    const problem = page.getByRole("alert").filter({ hasText: "Find:" });
    await expect(problem).toContainText('unknown field "colour"');
    await expect(problem).toContainText("at character 11");
    await expect(find).toHaveAttribute("aria-invalid", "true");

    await page.getByText("Find/hide help").click();
    const help = page.getByRole("region", { name: "Find and hide operands" });
    for (const operand of ["rpm", "error%", "traffic%", "circuitbreaker", "virtualservice", "sidecar", "outside", "trafficsource", "idle", "http", "grpc", "tcp", "p95"]) {
      await expect(help.getByRole("cell", { name: new RegExp(`^${operand.replace("%", "%")}( \\(|$)`) })).toBeVisible();
    }
    await page.getByText("Find/hide help").click();

    // A preset fills hide; "outside" leaves the ingress gateway and unknown sources out of the list.
    await page.getByRole("combobox", { name: "Find/hide presets" }).selectOption({ label: "Hide nodes outside these namespaces: hide outside" });
    await expect(page).toHaveURL(/hide=outside/);
    const listbox = page.getByRole("listbox", { name: /Graph nodes/ });
    await expect.poll(async () => (await listbox.getByRole("option").allTextContents()).some((text) => /ingressgateway|unknown/.test(text))).toBe(false);

    // responsetime asks the graph for latency.
    const latency = page.waitForRequest((request) => request.url().includes("/api/graph?") && (new URL(request.url()).searchParams.get("appenders") ?? "").includes("responseTime"));
    await find.fill("responsetime>0");
    await find.press("Enter");
    await latency;
  });

  test("centres the graph on a service from its detail page, to the depth chosen", async ({ page, request }) => {
    await page.goto("/services/bookinfo/reviews");
    await page.getByRole("link", { name: "Graph centred on reviews" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("node")).toBe("service~bookinfo~reviews~");
    await expect.poll(async () => (await nodeIds(page)).sort(), { timeout: 45_000, intervals: [1_000] }).toEqual(expect.arrayContaining(["service~bookinfo~reviews~", REVIEWS_V2]));
    const depthOne = await nodeIds(page);
    // productpage calls reviews; ratings is a callee's callee, outside depth 1... and details (a sibling) never.
    expect(depthOne.some((id) => id.startsWith("versionedApp~bookinfo~productpage~"))).toBe(true);
    expect(depthOne.some((id) => id.includes("~details~"))).toBe(false);
    await page.getByRole("combobox", { name: "Depth" }).selectOption("3");
    await expect(page).toHaveURL(/depth=3/);
    await expect.poll(async () => (await nodeIds(page)).some((id) => id.startsWith("versionedApp~bookinfo~ratings~"))).toBe(true);
    expect((await nodeIds(page)).some((id) => id.includes("~details~"))).toBe(false);
    const api = await request.get("/api/graph?namespaces=bookinfo&node=service~bookinfo~reviews~&depth=9");
    expect(api.status()).toBe(400);
    await page.getByRole("button", { name: "Show the whole namespaces" }).click();
    await expect.poll(async () => (await nodeIds(page)).some((id) => id.includes("~details~"))).toBe(true);
  });
});
