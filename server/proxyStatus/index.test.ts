import { describe, expect, it } from "vitest";
import { parseSynczBody, proxiesIn } from "./index";
import { proxySyncOf, synczSchema } from "./syncz";

describe("parseSynczBody", () => {
  it("takes the body as client-node hands it over: parsed JSON or text", () => {
    const entries = [{ proxy: "web-1.shop" }];
    expect(parseSynczBody(entries)).toHaveLength(1);
    expect(parseSynczBody(JSON.stringify(entries))).toHaveLength(1);
    expect(() => parseSynczBody({ not: "a list" })).toThrow();
  });
});

describe("proxiesIn", () => {
  const proxies = synczSchema.parse([{ proxy: "web-1.shop" }, { proxy: "db-1.data" }]).map((entry) => proxySyncOf(entry, "istiod-a"));
  it("keeps the requested namespaces and names each pod's workload", () => {
    const pods = [{ name: "web-1", namespace: "shop", workload: "web-v1", app: "web", version: "v1" }];
    expect(proxiesIn(proxies, ["shop"], pods)).toEqual([expect.objectContaining({ id: "web-1.shop", workload: "web-v1", app: "web", version: "v1" })]);
  });
  it("keeps every namespace for an empty request, with null workloads for unknown pods", () => {
    expect(proxiesIn(proxies, [], []).map((p) => [p.id, p.workload])).toEqual([
      ["web-1.shop", null],
      ["db-1.data", null],
    ]);
  });
});
