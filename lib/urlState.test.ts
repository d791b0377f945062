import { describe, expect, it } from "vitest";
import { hrefWithViewState, parseViewState, writeViewState } from "./urlState";

const defaults = { window: "5m", refresh: "10s" } as const;

describe("parseViewState", () => {
  it("reads namespaces, window and refresh from a shared link", () => {
    const { state, problems } = parseViewState(new URLSearchParams("namespaces=mesh-lab,bookinfo&window=1h&refresh=30s"), defaults);
    expect(state).toEqual({ namespaces: ["bookinfo", "mesh-lab"], window: "1h", refresh: "30s" });
    expect(problems).toEqual([]);
  });

  it("falls back to the defaults and says which values it ignored", () => {
    const { state, problems } = parseViewState(new URLSearchParams('namespaces=ok,../etc,a"}&window=9y&refresh=fast'), defaults);
    expect(state).toEqual({ namespaces: ["ok"], window: "5m", refresh: "10s" });
    expect(problems).toHaveLength(4);
    expect(problems.join("\n")).toContain('"../etc"');
  });
});

describe("writeViewState", () => {
  it("keeps page-specific parameters and leaves defaults out of the link", () => {
    const params = writeViewState(new URLSearchParams("graphType=app&window=1h"), { namespaces: ["bookinfo"], window: "5m", refresh: "off" }, defaults);
    expect(params.toString()).toBe("graphType=app&namespaces=bookinfo&refresh=off");
  });

  it("round-trips through parse", () => {
    const state = { namespaces: ["a", "b"], window: "7d", refresh: "1m" } as const;
    const written = writeViewState(new URLSearchParams(), { ...state, namespaces: [...state.namespaces] }, defaults);
    expect(parseViewState(written, defaults).state).toEqual(state);
  });
});

describe("hrefWithViewState", () => {
  it("carries only the shared parameters to another page", () => {
    expect(hrefWithViewState("/services", new URLSearchParams("namespaces=bookinfo&find=rps>1&window=1h"))).toBe("/services?namespaces=bookinfo&window=1h");
    expect(hrefWithViewState("/graph", new URLSearchParams(""))).toBe("/graph");
  });
});
