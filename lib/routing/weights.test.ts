import { describe, expect, it } from "vitest";
import { allTo, apportion, promote, setWeight, splitEvenly, stableSubset, toRecord, weightProblems, type SubsetWeight } from "./weights";

const w = (v1: number, v2: number, v3: number): SubsetWeight[] => [
  { subset: "v1", weight: v1 },
  { subset: "v2", weight: v2 },
  { subset: "v3", weight: v3 },
];
const sum = (weights: readonly SubsetWeight[]) => weights.reduce((a, entry) => a + entry.weight, 0);

describe("apportion", () => {
  it("gives the leftover points to the largest remainders, ties to the first listed", () => {
    expect(apportion(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(apportion(100, [2, 1])).toEqual([67, 33]);
    expect(apportion(7, [0, 0])).toEqual([4, 3]);
  });
});

describe("moving one slider", () => {
  it("takes the canary's share from the others in proportion to what they had", () => {
    expect(toRecord(setWeight(allTo(["v1", "v2", "v3"], "v1"), "v2", 20))).toEqual({ v1: 80, v2: 20, v3: 0 });
    expect(toRecord(setWeight(w(60, 10, 30), "v2", 40))).toEqual({ v1: 40, v2: 40, v3: 20 });
  });

  it("keeps locked subsets where they are and caps the moved one at what the locks leave", () => {
    const locked = new Set(["v3"]);
    expect(toRecord(setWeight(w(50, 20, 30), "v2", 90, locked))).toEqual({ v1: 0, v2: 70, v3: 30 });
  });

  it("does not move when every other subset is locked", () => {
    expect(toRecord(setWeight(w(50, 20, 30), "v2", 40, new Set(["v1", "v3"])))).toEqual({ v1: 50, v2: 20, v3: 30 });
  });

  it("always sums to exactly 100, whatever the odd fractions", () => {
    let weights = w(34, 33, 33);
    for (const value of [1, 7, 99, 13, 0, 100, 51, 33]) {
      weights = setWeight(weights, "v1", value);
      expect(sum(weights)).toBe(100);
      expect(weights.every((entry) => Number.isInteger(entry.weight) && entry.weight >= 0)).toBe(true);
    }
  });

  it("rounds the same input the same way every time", () => {
    expect(setWeight(w(33, 33, 34), "v3", 1)).toEqual(setWeight(w(33, 33, 34), "v3", 1));
    expect(toRecord(setWeight(w(33, 33, 34), "v3", 1))).toEqual({ v1: 50, v2: 49, v3: 1 });
  });

  it("clamps values out of range and rounds fractions", () => {
    expect(toRecord(setWeight(w(100, 0, 0), "v2", 140))).toEqual({ v1: 0, v2: 100, v3: 0 });
    expect(toRecord(setWeight(w(100, 0, 0), "v2", -5))).toEqual({ v1: 100, v2: 0, v3: 0 });
    expect(toRecord(setWeight(w(100, 0, 0), "v2", 19.6))).toEqual({ v1: 80, v2: 20, v3: 0 });
  });
});

describe("split evenly", () => {
  it("shares what the locks leave among the unlocked subsets", () => {
    expect(toRecord(splitEvenly(w(100, 0, 0)))).toEqual({ v1: 34, v2: 33, v3: 33 });
    expect(toRecord(splitEvenly(w(10, 0, 90), new Set(["v1"])))).toEqual({ v1: 10, v2: 45, v3: 45 });
  });
});

describe("canary steps", () => {
  it("promotes the canary through 10, 25, 50 and 100 percent", () => {
    let weights = allTo(["v1", "v2"], "v1");
    const seen: number[] = [];
    for (let step = 0; step < 5; step++) {
      weights = promote(weights, "v2");
      seen.push(toRecord(weights).v2!);
    }
    expect(seen).toEqual([10, 25, 50, 100, 100]);
    expect(toRecord(weights)).toEqual({ v1: 0, v2: 100 });
  });

  it("promotes from between steps to the next step above", () => {
    expect(toRecord(promote(w(80, 20, 0), "v2"))).toEqual({ v1: 75, v2: 25, v3: 0 });
  });

  it("names the subset with the most traffic as stable", () => {
    expect(stableSubset(w(80, 20, 0))).toBe("v1");
    expect(stableSubset(w(50, 50, 0))).toBe("v1");
  });
});

describe("checking weights from a request", () => {
  it("accepts integers from 0 to 100 that add up to 100", () => {
    expect(weightProblems({ v1: 80, v2: 20 }, ["v1", "v2", "v3"])).toEqual([]);
  });

  it("says what is wrong: sum, range, fractions, unknown subsets", () => {
    expect(weightProblems({ v1: 80, v2: 30 }, ["v1", "v2"])).toEqual(["weights: must add up to 100, they add up to 110"]);
    expect(weightProblems({ v1: 80.5, v2: 19.5 }, ["v1", "v2"]).join(" ")).toMatch(/v1: must be an integer/);
    expect(weightProblems({ v1: 120, v2: -20 }, ["v1", "v2"])).toHaveLength(2);
    expect(weightProblems({ v1: 80, v9: 20 }, ["v1", "v2"])).toEqual(["weights.v9: unknown subset; the service's versions are v1, v2"]);
    expect(weightProblems({}, ["v1"])).toEqual(["weights: give at least one subset a weight"]);
  });
});
