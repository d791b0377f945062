import { describe, expect, it } from "vitest";
import { nextFrame, previousFrame, replayStartFrom, replayStepSeconds } from "./replay";

describe("replay frames", () => {
  it("steps through a window in about twenty frames, on 5-second marks", () => {
    expect(replayStepSeconds("10m")).toBe(30);
    expect(replayStepSeconds("5m")).toBe(15);
    expect(replayStepSeconds("1h")).toBe(180);
  });

  it("plays forward to the window's end and no further, nor into the future", () => {
    const window = { from: 1_000, length: "5m" as const };
    expect(nextFrame(window, 1_000, 10_000)).toBe(1_015);
    expect(nextFrame(window, 1_290, 10_000)).toBe(1_300);
    expect(nextFrame(window, 1_300, 10_000)).toBeNull();
    expect(nextFrame(window, 1_000, 1_010)).toBe(1_010);
    // Caught up with the present: play stops instead of following the clock a second at a time.
    expect(nextFrame(window, 1_008, 1_010)).toBeNull();
    expect(previousFrame(window, 1_010)).toBe(1_000);
    expect(previousFrame(window, 1_100)).toBe(1_085);
  });

  it("takes a start only in the past", () => {
    expect(replayStartFrom("2026-01-01T10:00", 2_000_000_000, () => 1_767_261_600_000)).toBe(1_767_261_600);
    expect(replayStartFrom("2099-01-01T10:00", 1_767_261_600, () => 4_070_944_800_000)).toBeNull();
    expect(replayStartFrom("", 1_767_261_600, () => Number.NaN)).toBeNull();
  });
});
