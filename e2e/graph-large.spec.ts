/**
 * A graph past the large-graph size (lib/graph/largeGraph.ts) in the browser, from a synthetic
 * answer of /api/graph: the names of the nodes in view are drawn and more are named as the view
 * moves, while the thousands out of view wait; the keyboard list reaches every node although it
 * renders only a window of them, and tells a screen reader where in the whole list it is.
 */
import type { Page } from "@playwright/test";
import { syntheticGraph } from "../bench/syntheticGraph";
import { expect, test } from "./fixtures";

test.use({ viewport: { width: 1440, height: 900 } });

const SIZE = 2_000;

/** Nodes whose centre is in view, and how many of them Cytoscape has names for; with every named node. */
async function naming(page: Page): Promise<{ inView: number; inViewNamed: number; named: number }> {
  return page.evaluate(() => {
    const hook = window.__meshGraph;
    if (!hook) return { inView: 0, inViewNamed: 0, named: 0 };
    const view = hook.viewExtent();
    const named = new Set(hook.namedNodeIds());
    const inView = Object.entries(hook.positions()).filter(([, { x, y }]) => x >= view.x1 && x <= view.x2 && y >= view.y1 && y <= view.y2);
    return { inView: inView.length, inViewNamed: inView.filter(([id]) => named.has(id)).length, named: named.size };
  });
}

/**
 * A point of the canvas to press on that pans the view rather than grabbing a node: the one, of a
 * grid of candidates from which the whole drag stays in the window, farthest from every node.
 */
async function emptySpotForDrag(page: Page, frame: { x: number; y: number; width: number; height: number }, drag: { x: number; y: number }): Promise<{ x: number; y: number }> {
  const { view, zoom, points } = await page.evaluate(() => ({ view: window.__meshGraph!.viewExtent(), zoom: window.__meshGraph!.zoom(), points: Object.values(window.__meshGraph!.positions()) }));
  const bottom = Math.min(frame.y + frame.height, page.viewportSize()?.height ?? 900);
  let best = { x: frame.x + frame.width / 2, y: (frame.y + bottom) / 2, clearance: -1 };
  for (let column = 1; column < 20; column++) {
    for (let row = 1; row < 20; row++) {
      const x = frame.x + (frame.width * column) / 20;
      const y = frame.y + ((bottom - frame.y) * row) / 20;
      if (x + drag.x < frame.x + 5 || x + drag.x > frame.x + frame.width - 5 || y + drag.y < frame.y + 5 || y + drag.y > bottom - 5) continue;
      const graphX = view.x1 + (x - frame.x) / zoom;
      const graphY = view.y1 + (y - frame.y) / zoom;
      const clearance = Math.min(...points.map((point) => Math.hypot(point.x - graphX, point.y - graphY)));
      if (clearance > best.clearance) best = { x, y, clearance };
    }
  }
  return best;
}

test("a 2,000-node graph names the nodes in view, names more as the view moves, and lists every node from the keyboard", async ({ page }) => {
  const graph = syntheticGraph(SIZE, 1);
  await page.route("**/api/graph?**", (route) => route.fulfill({ json: graph }));
  await page.goto(`/graph?namespaces=${graph.namespaces.join(",")}&refresh=off&graphType=workload`);
  await expect.poll(() => page.evaluate(() => window.__meshGraph?.nodeIds().length ?? 0), { timeout: 60_000 }).toBe(SIZE);

  // At the readable zoom the view holds part of the graph: its nodes are named, the rest wait.
  const first = await naming(page);
  expect(first.inView).toBeGreaterThan(10);
  expect(first.inViewNamed).toBe(first.inView);
  expect(first.named).toBeLessThan(SIZE / 2);

  // Dragging the nearest unnamed node into the middle of the view names it, and the nodes around it.
  const { drag, target } = await page.evaluate(() => {
    const hook = window.__meshGraph!;
    const view = hook.viewExtent();
    const named = new Set(hook.namedNodeIds());
    const centre = { x: (view.x1 + view.x2) / 2, y: (view.y1 + view.y2) / 2 };
    const [id, position] = Object.entries(hook.positions())
      .filter(([candidate]) => !named.has(candidate))
      .sort(([, a], [, b]) => Math.hypot(a.x - centre.x, a.y - centre.y) - Math.hypot(b.x - centre.x, b.y - centre.y))[0]!;
    return { target: id, drag: { x: (centre.x - position.x) * hook.zoom(), y: (centre.y - position.y) * hook.zoom() } };
  });
  const frame = await page.getByTestId("graph-canvas").boundingBox();
  if (!frame) throw new Error("the graph canvas is not on the page");
  const start = await emptySpotForDrag(page, frame, drag);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + drag.x, start.y + drag.y, { steps: 10 });
  await page.mouse.up();
  await expect.poll(() => page.evaluate((id) => window.__meshGraph?.namedNodeIds().includes(id) ?? false, target)).toBe(true);
  expect((await naming(page)).named).toBeGreaterThan(first.named);
  const moved = await naming(page);
  expect(moved.inViewNamed).toBe(moved.inView);

  // The keyboard list: a window of options, each placed in the whole list; End, Page Up and Enter reach any node.
  const listbox = page.getByRole("listbox", { name: /Graph nodes/ });
  await listbox.focus();
  const options = listbox.getByRole("option");
  expect(await options.count()).toBeLessThan(SIZE);
  await expect(options.first()).toHaveAttribute("aria-setsize", String(SIZE));
  await expect(options.first()).toHaveAttribute("aria-posinset", "1");
  const active = async () => page.locator(`[id="${await listbox.getAttribute("aria-activedescendant")}"]`);
  await page.keyboard.press("End");
  await expect(await active()).toHaveAttribute("aria-posinset", String(SIZE));
  await page.keyboard.press("PageUp");
  const chosen = await active();
  await expect(chosen).toHaveAttribute("aria-posinset", String(SIZE - 10));
  const name = ((await chosen.textContent()) ?? "").split(" ")[0] ?? "";
  expect(name).toMatch(/^svc-\d+$/);
  await page.keyboard.press("Enter");
  await expect.poll(() => new URL(page.url()).searchParams.get("focus") ?? "").toContain(`~${name}~`);
  await expect(page.getByTestId("side-panel").getByRole("heading", { name: new RegExp(`^${name}\\b`) })).toBeVisible();
});
