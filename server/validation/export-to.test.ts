import { describe, expect, it } from "vitest";
import { exportsOverlap, isExportedTo } from "./export-to";

describe("exportTo", () => {
  it("'.', '*', '~' and namespace names", () => {
    expect(isExportedTo(["."], "a", "a")).toBe(true);
    expect(isExportedTo(["."], "a", "b")).toBe(false);
    expect(isExportedTo(["*"], "a", "b")).toBe(true);
    expect(isExportedTo(["~"], "a", "a")).toBe(false);
    expect(exportsOverlap(["."], "a", ["."], "b")).toBe(false);
    expect(exportsOverlap(["a"], "x", ["*"], "y")).toBe(true);
    expect(exportsOverlap(["~"], "x", ["*"], "y")).toBe(false);
  });
});
