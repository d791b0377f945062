import { describe, expect, it } from "vitest";
import { alignSeries } from "./shape";

const range = { start: 1000, end: 1060, stepSeconds: 15, rateWindowSeconds: 60 };

describe("alignSeries", () => {
  it("puts a point on every step and leaves gaps where Prometheus had no sample", () => {
    const [series] = alignSeries([{ metric: { code_class: "2xx" }, values: [[1000, "1.5"], [1030, "2"], [1060, "NaN"]] }], range, (labels) => labels.code_class ?? "", null);
    expect(series?.name).toBe("2xx");
    expect(series?.points).toEqual([
      [1000, 1.5],
      [1015, null],
      [1030, 2],
      [1045, null],
      [1060, null],
    ]);
  });

  it("labels each series with its version and orders versions", () => {
    const series = alignSeries(
      [
        { metric: { destination_canonical_revision: "v2" }, values: [[1000, "+Inf"]] },
        { metric: { destination_canonical_revision: "v1" }, values: [[1000, "3"]] },
      ],
      range,
      () => "p95",
      "destination_canonical_revision",
    );
    expect(series.map((s) => s.version)).toEqual(["v1", "v2"]);
    expect(series[1]?.points[0]).toEqual([1000, null]);
  });
});
