import { describe, expect, it } from "vitest";
import { catalogue, catalogueEntry, isKnownCode } from "./catalogue";

describe("validation catalogue", () => {
  it("has one entry per code, Istio codes in the IST range and ours in MC1xxx", () => {
    const codes = catalogue.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const entry of catalogue) expect(entry.code).toMatch(/^(IST0\d{3}|MC1\d{3})$/);
  });

  it("keeps Istio's levels for Istio's codes", () => {
    expect(catalogueEntry("IST0101").severity).toBe("error");
    expect(catalogueEntry("IST0118").severity).toBe("info");
    expect(catalogueEntry("IST0132").severity).toBe("warning");
    expect(isKnownCode("IST9999")).toBe(false);
  });
});
