/**
 * Moving a weight slider as a release manager does: a real mouse drag of its thumb most of the way,
 * then the arrow keys to the exact percent.
 */
import { expect, type Locator, type Page } from "@playwright/test";

async function valueOf(slider: Locator): Promise<number> {
  return Number(await slider.inputValue());
}

/**
 * Where the slider is once the page around it has stopped moving: a wizard opening (or a preview
 * loading above it) can still push it down after it appears, and a drag aimed at where it was
 * grabs nothing.
 */
async function settledBox(slider: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  await slider.scrollIntoViewIfNeeded();
  let box = await slider.boundingBox();
  await expect
    .poll(async () => {
      const previous = box;
      box = await slider.boundingBox();
      return previous !== null && box !== null && previous.x === box.x && previous.y === box.y && previous.width === box.width;
    }, { message: "the slider stays in one place", intervals: [100] })
    .toBe(true);
  return box!;
}

/** Drags the thumb from `from` towards `towards` (fractions of the track's width), checks the value moved, then arrows to `target`. */
export async function dragSliderTo(page: Page, slider: Locator, drag: { from: number; towards: number }, target: number): Promise<void> {
  const before = await valueOf(slider);
  const box = await settledBox(slider);
  const y = box.y + box.height / 2;
  // A thumb at 0 is grabbed a few pixels in from the track's left end.
  await page.mouse.move(Math.max(box.x + 6, box.x + box.width * drag.from), y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * drag.towards, y, { steps: 8 });
  await page.mouse.up();
  const dragged = await valueOf(slider);
  expect(drag.towards > drag.from ? dragged > before : dragged < before, `the drag moved the slider from ${before} (now ${dragged})`).toBe(true);
  await slider.focus();
  for (let presses = 0; presses < 100 && (await valueOf(slider)) !== target; presses++) {
    await page.keyboard.press((await valueOf(slider)) < target ? "ArrowRight" : "ArrowLeft");
  }
  await expect(slider).toHaveValue(String(target));
}
