import { describe, expect, it } from "vitest";
import { configuredSplit } from "./configuredWeights";
import { HISTORY_LIMIT, readHistory, readPreviousSpec, recordChange } from "./history";
import { trafficShift } from "./routeWizards";
import { REVIEWS } from "./testObjects";

const entry = (n: number) => ({ at: `2025-01-01T00:00:${String(n).padStart(2, "0")}Z`, by: "mesh-console", wizard: "traffic-shift", from: { v1: 100 - n }, to: { v1: 99 - n, v2: n + 1 } });

describe("routing history on the VirtualService", () => {
  it("remembers that there was no VirtualService before the console created one", () => {
    const vs = trafficShift(undefined, REVIEWS, { v1: 80, v2: 20 });
    recordChange(vs, undefined, entry(0));
    expect(readPreviousSpec(vs)).toEqual({ kind: "none" });
    expect(readHistory(vs)).toEqual([entry(0)]);
  });

  it("keeps the spec before the change for rollback, and only the last entries", () => {
    let vs = trafficShift(undefined, REVIEWS, { v1: 100 });
    recordChange(vs, undefined, entry(0));
    for (let n = 1; n <= HISTORY_LIMIT + 3; n++) {
      const next = trafficShift(vs, REVIEWS, { v1: 99 - n, v2: n + 1 });
      recordChange(next, vs, entry(n));
      if (n === HISTORY_LIMIT + 3) expect(readPreviousSpec(next)).toEqual({ kind: "spec", spec: vs.spec });
      vs = next;
    }
    const history = readHistory(vs);
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history.at(-1)).toEqual(entry(HISTORY_LIMIT + 3));
  });

  it("ignores a history annotation someone broke by hand", () => {
    const vs = trafficShift(undefined, REVIEWS, { v1: 100 });
    vs.metadata.annotations = { "mesh-console.io/routing-history": "{not json", "mesh-console.io/previous-spec": "[" };
    expect(readHistory(vs)).toEqual([]);
    expect(readPreviousSpec(vs)).toBeUndefined();
  });
});

describe("configured split for the graph", () => {
  it("reads the reviews split from VirtualService objects as an informer holds them", () => {
    const vs = trafficShift(undefined, REVIEWS, { v1: 80, v2: 20 });
    expect(configuredSplit([{ not: "a vs" }, vs], "bookinfo", "reviews")).toEqual({ v1: 80, v2: 20 });
    expect(configuredSplit([vs], "bookinfo", "ratings")).toBeNull();
  });
});
