import { expect, test } from "./fixtures";
import { pointAtGraph, zoomInAndReadLabels } from "./graphCanvas";

interface Positions {
  [id: string]: { x: number; y: number };
}

async function nodeIds(page: import("@playwright/test").Page): Promise<string[]> {
  return page.evaluate(() => window.__meshGraph?.nodeIds() ?? []);
}

async function positions(page: import("@playwright/test").Page): Promise<Positions> {
  return page.evaluate(() => window.__meshGraph?.positions() ?? {});
}

test.describe("traffic graph", () => {
  test("draws Bookinfo with live rates, opens a node, changes type and keeps positions across refreshes", async ({ page }) => {
    await page.goto("/graph?namespaces=bookinfo");

    // Versions of reviews appear once the simulator's traffic has been scraped.
    await expect
      .poll(async () => (await nodeIds(page)).filter((id) => id.startsWith("versionedApp~bookinfo~")).sort(), { timeout: 45_000, intervals: [1_000] })
      .toEqual(expect.arrayContaining(["versionedApp~bookinfo~productpage~v1", "versionedApp~bookinfo~details~v1", "versionedApp~bookinfo~reviews~v1", "versionedApp~bookinfo~reviews~v2", "versionedApp~bookinfo~reviews~v3", "versionedApp~bookinfo~ratings~v1"]));

    // Live rates: the graph API reports traffic into productpage.
    const graph = await page.evaluate(async () => (await fetch("/api/graph?namespaces=bookinfo")).json());
    const productpage = graph.nodes.find((node: { id: string }) => node.id === "versionedApp~bookinfo~productpage~v1");
    expect(productpage.inboundRps).toBeGreaterThan(0);

    // Selecting reviews v2 from the keyboard list opens the side panel with charts.
    const listbox = page.getByRole("listbox", { name: /Graph nodes/ });
    await listbox.focus();
    const options = listbox.getByRole("option");
    const labels = await options.allTextContents();
    // Listed as people read them: a namespace's nodes together, by name, whatever their kind.
    // Nodes outside any namespace (external hosts) show their kind instead, and come first.
    const listed = labels.map((label) => /^(\S+)(?: \S+)? \(([^)]+)\)/.exec(label)?.slice(1, 3) ?? []).filter(([, namespace]) => namespace !== "external");
    expect(listed.map(([, namespace]) => namespace)).toEqual(listed.map(([, namespace]) => namespace).sort());
    const bookinfoNames = listed.filter(([, namespace]) => namespace === "bookinfo").map(([name]) => name);
    expect(bookinfoNames).toEqual([...bookinfoNames].sort());
    expect(bookinfoNames).toEqual(expect.arrayContaining(["details", "productpage", "ratings", "reviews"]));
    const index = labels.findIndex((label) => label.startsWith("reviews v2"));
    expect(index).toBeGreaterThanOrEqual(0);
    for (let step = 0; step < index; step++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect.poll(() => new URL(page.url()).searchParams.get("focus")).toBe("versionedApp~bookinfo~reviews~v2");
    const panel = page.getByTestId("side-panel");
    await expect(panel.getByRole("heading", { name: "reviews v2" })).toBeVisible();
    await expect(panel.getByTestId("node-charts").locator("svg.recharts-surface").first()).toBeVisible();

    // Two refreshes later nothing has moved.
    const before = await positions(page);
    expect(Object.keys(before).length).toBeGreaterThan(5);
    for (let refresh = 0; refresh < 2; refresh++) {
      const answered = page.waitForResponse((response) => response.url().includes("/api/graph?") && response.status() === 200);
      await page.getByRole("button", { name: "Refresh now" }).click();
      // The page takes the graph as the gzip file the server compressed once for every viewer.
      expect((await answered).headers()["content-type"]).toBe("application/gzip");
    }
    await page.waitForTimeout(300);
    const after = await positions(page);
    for (const [id, position] of Object.entries(before)) {
      if (after[id]) expect(after[id], `node ${id} moved`).toEqual(position);
    }
    // ...and the keyboard list is still on the node the user moved to.
    await expect(page.locator(`[id="${await listbox.getAttribute("aria-activedescendant")}"]`)).toHaveText(/^reviews v2 /);

    // Edge labels too small to read are left out; zooming in brings them, with the live rate.
    await pointAtGraph(page);
    const httpEdgeIds = (graph.edges as { id: string; protocol: string }[]).filter((edge) => edge.protocol === "http").map((edge) => edge.id);
    await expect.poll(() => zoomInAndReadLabels(page, httpEdgeIds), { timeout: 15_000 }).toContainEqual(expect.stringMatching(/\d rps$/));

    // Another graph type draws other nodes.
    await page.getByRole("combobox", { name: "Graph type" }).selectOption("app");
    await expect(page).toHaveURL(/graphType=app/);
    await expect.poll(async () => (await nodeIds(page)).filter((id) => id.startsWith("app~bookinfo~")).sort(), { timeout: 20_000 }).toContain("app~bookinfo~reviews~");
    expect((await nodeIds(page)).some((id) => id.startsWith("versionedApp~"))).toBe(false);
  });

  test("asks for response time only while the edge labels show it", async ({ page }) => {
    const graphUrls: URL[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/graph?")) graphUrls.push(new URL(request.url()));
    });
    const appendersOf = (url: URL) => (url.searchParams.get("appenders") ?? "").split(",");
    type Edge = { id: string; protocol: string; responseTime: { p95: number | null } | null };

    // Default edge labels (rps): the page names its appenders, without response time, and gets no latency.
    const firstAnswer = page.waitForResponse((response) => response.url().includes("/api/graph?") && response.status() === 200);
    await page.goto("/graph?namespaces=bookinfo");
    const first = await firstAnswer;
    expect(appendersOf(new URL(first.url()))).toEqual(["throughput", "security"]);
    await expect.poll(async () => (await nodeIds(page)).length, { timeout: 45_000, intervals: [1_000] }).toBeGreaterThan(3);
    const withoutLatency = await page.evaluate(async (url) => (await fetch(url)).json(), new URL(first.url()).pathname + new URL(first.url()).search);
    expect((withoutLatency.edges as Edge[]).some((edge) => edge.protocol === "http")).toBe(true);
    expect((withoutLatency.edges as Edge[]).every((edge) => edge.responseTime === null)).toBe(true);
    expect(graphUrls.length).toBeGreaterThan(0);
    for (const url of graphUrls) expect(appendersOf(url)).not.toContain("responseTime");

    // Response-time labels: the next request asks for it, and the labels show milliseconds.
    const latencyAnswer = page.waitForResponse((response) => response.url().includes("/api/graph?") && appendersOf(new URL(response.url())).includes("responseTime") && response.status() === 200);
    await page.getByRole("combobox", { name: "Edge labels" }).selectOption("responseTime");
    await latencyAnswer;
    const withLatency = await page.evaluate(async () => (await fetch("/api/graph?namespaces=bookinfo&appenders=responseTime")).json());
    const httpEdgeIds = (withLatency.edges as Edge[]).filter((edge) => edge.protocol === "http").map((edge) => edge.id);
    await pointAtGraph(page);
    await expect.poll(() => zoomInAndReadLabels(page, httpEdgeIds), { timeout: 15_000 }).toContainEqual(expect.stringMatching(/\d ms$/));
  });

  test("asks for namespaces when none is selected", async ({ page }) => {
    await page.goto("/graph");
    await expect(page.getByText("Pick the namespaces to draw")).toBeVisible();
    const suggestion = page.getByRole("button", { name: "Show bookinfo" });
    await expect(suggestion).toBeVisible();
    await suggestion.click();
    await expect(page).toHaveURL(/namespaces=bookinfo/);
  });

  test("explains health in the legend with the console's thresholds", async ({ page }) => {
    await page.goto("/graph?namespaces=bookinfo");
    const rules = page.getByRole("list", { name: "Health rules" });
    // Defaults: failed requests degrade at 0.1 % and fail at 20 %.
    await expect(rules).toContainText("failed requests (5xx, no response, an Envoy response flag, a failed gRPC call): degraded at 0.1 %, failing at 20 %", { timeout: 45_000 });
    await expect(page.getByRole("region", { name: "Legend" })).toContainText("mesh-console.io/health-thresholds");
    const graph = await page.evaluate(async () => (await fetch("/api/graph?namespaces=bookinfo")).json());
    expect(graph.healthRules).toBe("failed=0.1%/20%");
  });

  test("answers every figure from Prometheus in at most four queries per refresh", async ({ request }) => {
    const ask = async () => (await request.get("/api/graph?namespaces=bookinfo,istio-system&graphType=workload&appenders=responseTime,throughput,security")).json();
    const first = await ask();
    const graph = await ask();
    // Four per refresh, plus the recording-rule check at most once a minute: never in both of two refreshes in a row.
    expect(Math.min(first.queryCount, graph.queryCount)).toBeLessThanOrEqual(4);
    expect(Math.max(first.queryCount, graph.queryCount)).toBeLessThanOrEqual(5);
    type Edge = { protocol: string; rps: number; tcpBytesPerSecond: number; throughputBytesPerSecond: number | null; mtlsShare: number | null; responseTime: { p95: number | null } | null };
    const edges = graph.edges as Edge[];
    // TCP bytes and HTTP throughput travel in one combined query; both halves must come back.
    expect(edges.some((edge) => edge.protocol === "tcp" && edge.tcpBytesPerSecond > 0)).toBe(true);
    expect(edges.some((edge) => edge.protocol === "http" && (edge.throughputBytesPerSecond ?? 0) > 0)).toBe(true);
    expect(edges.some((edge) => edge.protocol === "http" && edge.rps > 0 && edge.mtlsShare !== null && (edge.responseTime?.p95 ?? 0) > 0)).toBe(true);
  });

  test("rejects a hostile namespace with a 400 that says why", async ({ request }) => {
    const response = await request.get(`/api/graph?namespaces=${encodeURIComponent('a"}) or vector(1')}`);
    expect(response.status()).toBe(400);
    expect((await response.json()).error.message).toContain("not a valid namespace name");
  });
});
