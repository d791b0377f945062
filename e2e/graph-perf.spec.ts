/**
 * Traffic animation on the graph page against the demo: off by default, turned on and off from the
 * Display menu with the URL carrying it, dots drawn and moving over the edges in view, and kept off
 * (with the reason said) when the system asks for reduced motion.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

test.use({ viewport: { width: 1440, height: 900 } });

const REVIEWS_V2 = "versionedApp~bookinfo~reviews~v2";

async function waitForBookinfo(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate((id) => window.__meshGraph?.nodeIds().includes(id) ?? false, REVIEWS_V2), { timeout: 45_000, intervals: [1_000] }).toBe(true);
}

/** The animation layer's painted pixels, as a string of where they are, so two reads can be compared. */
async function paintedDots(page: Page): Promise<{ count: number; signature: string }> {
  return page.getByTestId("traffic-animation").evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext("2d");
    if (!context || canvas.width === 0 || canvas.height === 0) return { count: 0, signature: "" };
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    let signature = 0;
    for (let index = 3; index < pixels.length; index += 4) {
      if (pixels[index]! > 0) {
        count += 1;
        signature = (signature * 31 + index) % 1_000_000_007;
      }
    }
    return { count, signature: String(signature) };
  });
}

function animationToggle(page: Page) {
  return page.getByRole("group", { name: "Display" }).getByRole("checkbox", { name: "Traffic animation" });
}

/** Opens the graph at `url`, waits for Bookinfo, checks no animation is drawn, and opens the Display menu. */
async function displayMenuWithoutAnimation(page: Page, url: string) {
  await page.goto(url);
  await waitForBookinfo(page);
  await expect(page.getByTestId("traffic-animation")).toHaveCount(0);
  await page.getByText("Display", { exact: true }).click();
  const toggle = animationToggle(page);
  await expect(toggle).not.toBeChecked();
  return toggle;
}

test.describe("graph traffic animation", () => {
  test("is off by default, and the Display menu turns it on and off with the URL", async ({ page }) => {
    const toggle = await displayMenuWithoutAnimation(page, "/graph?namespaces=bookinfo");
    await expect(toggle).toBeEnabled();
    // A controlled box: its state follows the URL, which changes a moment after the click.
    await toggle.click();
    await expect(toggle).toBeChecked();
    await expect(page).toHaveURL(/[?&]animation=on/);
    const layer = page.getByTestId("traffic-animation");
    await expect(layer).toBeVisible();
    await expect.poll(async () => Number(await layer.getAttribute("data-animated-edges")), { timeout: 15_000 }).toBeGreaterThan(0);
    // Dots are painted, and they move: two reads of the layer differ.
    await expect.poll(async () => (await paintedDots(page)).count, { timeout: 15_000 }).toBeGreaterThan(0);
    const first = await paintedDots(page);
    await expect.poll(async () => (await paintedDots(page)).signature, { timeout: 15_000 }).not.toBe(first.signature);
    // The graph underneath still answers the pointer: the layer lets presses through.
    expect(await layer.evaluate((canvas) => getComputedStyle(canvas).pointerEvents)).toBe("none");

    // A shared link opens with the animation on.
    await page.goto(page.url());
    await waitForBookinfo(page);
    await expect(page.getByTestId("traffic-animation")).toBeVisible();
    await page.getByText("Display", { exact: true }).click();
    await animationToggle(page).click();
    await expect(animationToggle(page)).not.toBeChecked();
    await expect(page.getByTestId("traffic-animation")).toHaveCount(0);
    await expect(page).not.toHaveURL(/animation=/);
  });

  test("stays off when the system asks for reduced motion, and says why", async ({ page }) => {
    await page.emulateMedia({ reducedMotion: "reduce" });
    const toggle = await displayMenuWithoutAnimation(page, "/graph?namespaces=bookinfo&animation=on");
    await expect(toggle).toBeDisabled();
    await expect(toggle).toHaveAccessibleDescription(/reduced motion/);

    // When the setting changes back, the link's animation starts.
    await page.emulateMedia({ reducedMotion: "no-preference" });
    await expect(toggle).toBeEnabled();
    await expect(toggle).toBeChecked();
    await expect(page.getByTestId("traffic-animation")).toBeVisible();
  });
});
