import { describe, expect, it } from "vitest";
import { TIME_WINDOWS, durationSeconds } from "@/lib/timeWindows";
import { MAX_POINTS, rangeForWindow, stepForWindow, timeline } from "./range";

describe("rangeForWindow", () => {
  it.each(TIME_WINDOWS)("keeps the %s window at a bounded number of points", (window) => {
    const range = rangeForWindow(window, 1_700_000_000);
    const points = timeline(range).length;
    expect(points).toBeLessThanOrEqual(MAX_POINTS + 1);
    expect(points).toBeGreaterThan(10);
    expect(range.end - range.start).toBe(durationSeconds(window));
    expect(range.rateWindowSeconds).toBeGreaterThanOrEqual(range.stepSeconds * 2);
  });

  it("aligns the end to the step so repeated refreshes ask for the same points", () => {
    const a = rangeForWindow("1h", 1_700_000_011);
    const b = rangeForWindow("1h", 1_700_000_019);
    expect(a.end % a.stepSeconds).toBe(0);
    expect(a).toEqual(b);
  });

  it("chooses finer steps for shorter windows", () => {
    expect(stepForWindow(300)).toBe(5);
    expect(stepForWindow(3600)).toBe(30);
    expect(stepForWindow(7 * 86400)).toBe(3600);
  });
});
