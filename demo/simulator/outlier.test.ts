import { describe, expect, it } from "vitest";
import { workloadFromDeployment } from "./mesh";
import { OutlierDetector, outlierSettingsOf } from "./outlier";
import { createRandom } from "./random";
import { deployment } from "./testing/bookinfo-fixture";

const injected = { "istio-injection": "enabled" };
const [v1, v2, v3] = ["v1", "v2", "v3"].map((v) => workloadFromDeployment(deployment("bookinfo", "reviews", v), injected));
const pool = [v1!, v2!, v3!];
const CLUSTER = "outbound|reviews.bookinfo.svc.cluster.local|";

describe("outlier detection settings", () => {
  it("applies Istio's defaults and reads durations", () => {
    expect(outlierSettingsOf({ outlierDetection: {} }, "dr")).toEqual({ consecutive5xxErrors: 5, baseEjectionMs: 30_000, maxEjectionPercent: 10 });
    expect(outlierSettingsOf({ outlierDetection: { consecutive5xxErrors: 2, baseEjectionTime: "1m", maxEjectionPercent: 50 } }, "dr")).toEqual({
      consecutive5xxErrors: 2,
      baseEjectionMs: 60_000,
      maxEjectionPercent: 50,
    });
    expect(outlierSettingsOf({}, "dr")).toBeUndefined();
    expect(outlierSettingsOf({ outlierDetection: { consecutive5xxErrors: 0 } }, "dr")).toBeUndefined();
  });
});

describe("outlier detector", () => {
  const settings = { consecutive5xxErrors: 5, baseEjectionMs: 30_000, maxEjectionPercent: 10 };

  it("ejects a host that keeps failing and lets it back after the ejection time", () => {
    const detector = new OutlierDetector();
    expect(detector.observe(CLUSTER, settings, pool, v3!, 100, 60, 0, createRandom(1))).toBe(true);
    expect(detector.healthyEndpoints(CLUSTER, pool, 1000).map((w) => w.version)).toEqual(["v1", "v2"]);
    expect(detector.healthyEndpoints(CLUSTER, pool, 30_001).map((w) => w.version)).toEqual(["v1", "v2", "v3"]);
  });

  it("leaves a healthy host alone", () => {
    const detector = new OutlierDetector();
    expect(detector.observe(CLUSTER, settings, pool, v1!, 1000, 1, 0, createRandom(1))).toBe(false);
  });

  it("always allows one ejection but no more than maxEjectionPercent after it", () => {
    const detector = new OutlierDetector();
    const random = createRandom(2);
    expect(detector.observe(CLUSTER, settings, pool, v3!, 100, 100, 0, random)).toBe(true);
    expect(detector.observe(CLUSTER, settings, pool, v2!, 100, 100, 0, random)).toBe(false);
    const lenient = { ...settings, maxEjectionPercent: 100 };
    expect(detector.observe(CLUSTER, lenient, pool, v2!, 100, 100, 0, random)).toBe(true);
  });

  it("ejects for longer each time a host is ejected again", () => {
    const detector = new OutlierDetector();
    const random = createRandom(3);
    detector.observe(CLUSTER, settings, pool, v3!, 100, 100, 0, random);
    detector.observe(CLUSTER, settings, pool, v3!, 100, 100, 31_000, random);
    expect(detector.isEjected(CLUSTER, v3!, 31_000 + 59_000)).toBe(true);
    expect(detector.isEjected(CLUSTER, v3!, 31_000 + 61_000)).toBe(false);
  });
});
