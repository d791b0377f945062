import { describe, expect, it } from "vitest";
import type { SignalsResponse } from "@/lib/signals/types";
import { chartLines } from "./chartSeries";

const base = {
  target: { kind: "service", namespace: "bookinfo", name: "reviews" },
  direction: "inbound",
  range: { start: 0, end: 30, stepSeconds: 15, rateWindowSeconds: 60 },
} as const;

function signals(byVersion: boolean, charts: Partial<SignalsResponse["charts"]>): SignalsResponse {
  return { ...base, byVersion, charts: { requestVolume: [], errorShare: [], latency: [], requestSize: [], responseSize: [], tcpSent: [], tcpReceived: [], ...charts } };
}

describe("chartLines", () => {
  it("adds up response classes per version, keeping gaps where no class had a sample", () => {
    const lines = chartLines(
      signals(true, {
        requestVolume: [
          { name: "2xx", version: "v1", points: [[0, 4], [15, null], [30, 1]] },
          { name: "5xx", version: "v1", points: [[0, 1], [15, null], [30, null]] },
          { name: "2xx", version: "v2", points: [[0, 2], [15, 2], [30, 2]] },
        ],
      }),
      "requestVolume",
    );
    expect(lines).toEqual([
      { key: "v1", label: "v1", points: [[0, 5], [15, null], [30, 1]] },
      { key: "v2", label: "v2", points: [[0, 2], [15, 2], [30, 2]] },
    ]);
  });

  it("shows one p95 line per version in the by-version latency chart", () => {
    const lines = chartLines(
      signals(true, {
        latency: [
          { name: "p50", version: "v1", points: [] },
          { name: "p95", version: "v1", points: [] },
          { name: "p95", version: "v3", points: [] },
        ],
      }),
      "latency",
    );
    expect(lines.map((line) => line.label)).toEqual(["v1 p95", "v3 p95"]);
  });
});
