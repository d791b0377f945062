import { describe, expect, it } from "vitest";
import { diffLines } from "./diff";

describe("YAML diff", () => {
  it("marks changed weights as removed and added, keeping the rest", () => {
    const before = "route:\n- subset: v1\n  weight: 100\n- subset: v2\n  weight: 0\n";
    const after = "route:\n- subset: v1\n  weight: 80\n- subset: v2\n  weight: 20\n";
    const diff = diffLines(before, after);
    expect(diff.filter((line) => line.kind === "removed").map((line) => line.text)).toEqual(["  weight: 100", "  weight: 0"]);
    expect(diff.filter((line) => line.kind === "added").map((line) => line.text)).toEqual(["  weight: 80", "  weight: 20"]);
    expect(diff.filter((line) => line.kind === "same")).toHaveLength(3);
  });

  it("shows a new object as all added and a deleted one as all removed", () => {
    expect(diffLines(null, "a\nb\n").every((line) => line.kind === "added")).toBe(true);
    expect(diffLines("a\nb\n", null).map((line) => line.kind)).toEqual(["removed", "removed"]);
  });
});
