import { describe, expect, it } from "vitest";
import { appendTo } from "./listMap";

describe("appendTo", () => {
  it("groups values by key, in the order they came", () => {
    const lists = new Map<string, number[]>();
    appendTo(lists, "a", 1);
    appendTo(lists, "b", 2);
    appendTo(lists, "a", 3);
    expect([...lists]).toEqual([
      ["a", [1, 3]],
      ["b", [2]],
    ]);
  });
});
