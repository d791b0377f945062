import { describe, expect, it } from "vitest";
import { formatAxisNumber, formatBytes, formatMilliseconds, formatPercent, formatRate, formatUtcTime } from "./format";

describe("formatting", () => {
  it("shows missing measurements as a dash, never as zero", () => {
    expect(formatRate(null)).toBe("—");
    expect(formatPercent(Number.NaN)).toBe("—");
    expect(formatMilliseconds(undefined)).toBe("—");
  });

  it("keeps units and sensible precision", () => {
    expect(formatRate(0.004)).toBe("<0.01 req/s");
    expect(formatRate(12.345)).toBe("12.3 req/s");
    expect(formatPercent(0.5)).toBe("0.50 %");
    expect(formatMilliseconds(1500)).toBe("1.50 s");
    expect(formatBytes(2048)).toBe("2.0 KiB");
    expect(formatUtcTime(0, true)).toBe("1970-01-01 00:00 UTC");
    expect([formatAxisNumber(0), formatAxisNumber(0.125), formatAxisNumber(1500), formatAxisNumber(2_500_000)]).toEqual(["0", "0.13", "1.5k", "2.5M"]);
  });
});
