import { describe, expect, it } from "vitest";
import { listboxWindow } from "./listboxWindow";

describe("listboxWindow", () => {
  it("renders every option of a list no longer than the window", () => {
    expect(listboxWindow(0, 40, 200)).toEqual({ start: 0, end: 40 });
    expect(listboxWindow(39, 200, 200)).toEqual({ start: 0, end: 200 });
  });

  it("centres the active option in a long list, and stops at either end", () => {
    expect(listboxWindow(2_500, 5_000, 200)).toEqual({ start: 2_400, end: 2_600 });
    expect(listboxWindow(3, 5_000, 200)).toEqual({ start: 0, end: 200 });
    expect(listboxWindow(4_999, 5_000, 200)).toEqual({ start: 4_800, end: 5_000 });
  });
});
