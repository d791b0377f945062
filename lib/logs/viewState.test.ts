import { describe, expect, it } from "vitest";
import { DEFAULT_LOG_VIEW, readLogViewState, writeLogViewState } from "./viewState";

describe("log view state in the URL", () => {
  it("round-trips a shared view and keeps the page's other parameters", () => {
    const state = { pod: "reviews-v1-abc12-x9z8q", container: "istio-proxy", follow: true, search: "503", tailLines: 1000, since: "30m" as const, wrap: false };
    const written = writeLogViewState(new URLSearchParams("direction=outbound"), state);
    expect(written.get("direction")).toBe("outbound");
    expect(readLogViewState(written)).toEqual(state);
  });

  it("leaves defaults out", () => {
    expect(writeLogViewState(new URLSearchParams(), DEFAULT_LOG_VIEW).toString()).toBe("");
  });

  it.each([
    ["logPod=Not_A_Pod", { pod: null }],
    ["logContainer=a.b", { container: null }],
    ["logTail=999999", { tailLines: 500 }],
    ["logSince=2y", { since: null }],
    ["logFollow=yes", { follow: false }],
  ])("ignores a wrong value: %s", (query, expected) => {
    expect(readLogViewState(new URLSearchParams(query))).toMatchObject(expected);
  });
});
