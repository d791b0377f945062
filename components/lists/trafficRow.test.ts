import { describe, expect, it } from "vitest";
import { healthNotesOf, trafficColumns } from "./trafficRow";

describe("healthNotesOf", () => {
  it("gives each note once, as a namespace's wrong annotation is noted on every object in it", () => {
    const namespaceNote = "The mesh-console.io/health-thresholds annotation on Namespace bookinfo is ignored: expected …";
    const serviceNote = "The mesh-console.io/health-thresholds annotation on Service bookinfo/details is ignored: expected …";
    expect(healthNotesOf([{ healthNotes: [namespaceNote, serviceNote] }, { healthNotes: [namespaceNote] }, {}])).toEqual([namespaceNote, serviceNote]);
    expect(healthNotesOf([])).toEqual([]);
  });
});

describe("trafficColumns", () => {
  it("is unknown without a traffic answer, and no traffic for an object missing from one", () => {
    expect(trafficColumns(new Map(), false, "bookinfo", "details").health).toBeNull();
    expect(trafficColumns(new Map(), true, "bookinfo", "details")).toEqual({ health: "no-traffic", requestRate: 0, errorShare: null, p95Ms: null });
  });
});
