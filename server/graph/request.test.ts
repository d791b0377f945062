import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { BadRequestError } from "@/server/http/errors";
import { parseGraphRequest } from "./request";

const NOW = 1_760_000_000;
const parse = (query: string) => parseGraphRequest(new URL(`http://console.test/api/graph?${query}`), NOW);

describe("parseGraphRequest", () => {
  it("asks for p95 unless other response-time quantiles are named, and refuses unknown ones", () => {
    expect(parse("namespaces=bookinfo").latencyQuantiles).toEqual([0.95]);
    expect(parse("namespaces=bookinfo&quantiles=p50,p95,p99").latencyQuantiles).toEqual([0.5, 0.95, 0.99]);
    expect(() => parse("namespaces=bookinfo&quantiles=p42")).toThrow();
  });

  it("reads a full request", () => {
    const request = parse("namespaces=bookinfo,mesh-lab&graphType=workload&duration=5m&queryTime=1759999000&appenders=responseTime&idleNodes=true");
    expect(request).toMatchObject({ namespaces: ["bookinfo", "mesh-lab"], graphType: "workload", rateWindowSeconds: 300, queryTime: 1_759_999_000, idleNodes: true });
    expect([...request.appenders]).toEqual(["responseTime"]);
  });

  it("defaults to the versioned app graph over a minute with every appender", () => {
    const request = parse("namespaces=bookinfo");
    expect(request).toMatchObject({ graphType: "versionedApp", rateWindowSeconds: 60, queryTime: undefined, idleNodes: false });
    expect(request.appenders.size).toBe(3);
  });

  it("rejects a graph without namespaces or with a namespace that is not a DNS label", () => {
    expect(() => parse("")).toThrow(BadRequestError);
    expect(() => parse(`namespaces=${encodeURIComponent('a"}) or vector(1')}`)).toThrow(/not a valid namespace name/);
  });

  it("names the parameter that is wrong", () => {
    expect(() => parse("namespaces=bookinfo&graphType=pods")).toThrow(ZodError);
    expect(() => parse("namespaces=bookinfo&duration=1s")).toThrow(/between 10s and 7d/);
    expect(() => parse("namespaces=bookinfo&duration=30d")).toThrow(/between 10s and 7d/);
    expect(() => parse("namespaces=bookinfo&duration=5 minutes")).toThrow(/duration/);
    expect(() => parse("namespaces=bookinfo&appenders=responseTime,magic")).toThrow(ZodError);
    expect(() => parse("namespaces=bookinfo&idleNodes=yes")).toThrow(ZodError);
  });

  it("refuses to look into the future", () => {
    expect(() => parse(`namespaces=bookinfo&queryTime=${NOW + 60}`)).toThrow(/in the future/);
    expect(() => parse("namespaces=bookinfo&queryTime=-5")).toThrow(ZodError);
  });
});
