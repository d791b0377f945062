import { describe, expect, it } from "vitest";
import { IstiodSimulation, virtualServiceProblem } from "./istiod";
import { createRandom } from "./random";
import { bookinfoSnapshot, reviewsSubsets, virtualService } from "./testing/bookinfo-fixture";
import { parseExposition, sumWhere } from "./testing/exposition";
import type { VirtualServiceObject } from "./mesh-schemas";

const routeTo = (subset: string, regex?: string, resourceVersion = "1"): VirtualServiceObject => {
  const vs = virtualService("reviews", {
    hosts: ["reviews"],
    http: [{ ...(regex ? { match: [{ headers: { "end-user": { regex } } }] } : {}), route: [{ destination: { host: "reviews", subset } }] }],
  });
  return { ...vs, metadata: { ...vs.metadata, resourceVersion } };
};

async function metric(istiod: IstiodSimulation, name: string, labels: Record<string, string> = {}): Promise<number> {
  return sumWhere(parseExposition(await istiod.metrics()), name, labels);
}

describe("RE2 reject case", () => {
  it.each([["(?!jason).*"], ["(?<=a)b"], ["(a)\\1"]])("flags %s as a regex Envoy refuses", (regex) => {
    const problem = virtualServiceProblem(routeTo("v2", regex));
    expect(problem?.envoyRejects).toBe(true);
    expect(problem?.reason).toContain("spec.http[0].match[0].headers.end-user.regex");
  });

  it("accepts RE2-compatible patterns", () => {
    expect(virtualServiceProblem(routeTo("v2", "ja.o[nm]|bob"))).toBeUndefined();
  });

  it("names a malformed duration without counting it as an Envoy reject", () => {
    const vs = virtualService("reviews", { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews" } }], timeout: "10 seconds" }] });
    expect(virtualServiceProblem(vs)).toMatchObject({ envoyRejects: false, reason: expect.stringContaining("spec.http[0].timeout") });
  });
});

describe("istiod simulation", () => {
  it("keeps the last accepted VirtualService and counts one NACK per proxy", async () => {
    const istiod = new IstiodSimulation(createRandom(1));
    const good = istiod.admit(bookinfoSnapshot({ virtualServices: [routeTo("v1")], destinationRules: [reviewsSubsets()] }));
    expect(good.virtualServices[0]?.spec.http?.[0]?.route?.[0]?.destination.subset).toBe("v1");
    const proxies = [...good.workloads.values()].filter((w) => w.hasProxy).length;

    const bad = istiod.admit(bookinfoSnapshot({ virtualServices: [routeTo("v2", "(?!x).*", "2")], destinationRules: [reviewsSubsets()] }));
    expect(bad.virtualServices[0]?.spec.http?.[0]?.route?.[0]?.destination.subset).toBe("v1");
    expect(await metric(istiod, "pilot_total_xds_rejects", { type: "rds" })).toBe(proxies);

    // The same rejected version seen again (a resync) is not NACKed twice.
    istiod.admit(bookinfoSnapshot({ virtualServices: [routeTo("v2", "(?!x).*", "2")], destinationRules: [reviewsSubsets()] }));
    expect(await metric(istiod, "pilot_total_xds_rejects", { type: "rds" })).toBe(proxies);
  });

  it("drops a rejected VirtualService that never had an accepted version", () => {
    const istiod = new IstiodSimulation(createRandom(1));
    expect(istiod.admit(bookinfoSnapshot({ virtualServices: [routeTo("v2", "(?!x).*")] })).virtualServices).toEqual([]);
  });

  it("pushes every xDS type to every proxy on a config change, and only EDS on a scale change", async () => {
    const istiod = new IstiodSimulation(createRandom(1));
    const first = bookinfoSnapshot();
    const proxies = [...first.workloads.values()].filter((w) => w.hasProxy).reduce((sum, w) => sum + w.replicas, 0);
    expect(istiod.observe(first).pushed).toEqual(["cds", "eds", "lds", "rds"]);
    expect(istiod.observe(first).pushed).toEqual([]);
    expect(istiod.observe(bookinfoSnapshot({ virtualServices: [routeTo("v1")] })).pushed).toEqual(["cds", "eds", "lds", "rds"]);
    expect(await metric(istiod, "pilot_xds_pushes", { type: "rds" })).toBe(2 * proxies);
    expect(await metric(istiod, "pilot_xds", { version: "1.24.2" })).toBe(proxies);
    expect(await metric(istiod, "pilot_proxy_convergence_time_count")).toBe(2 * proxies);

    const scaled = bookinfoSnapshot({ virtualServices: [routeTo("v1")] });
    const details = scaled.workloads.get("bookinfo/details-v1");
    if (!details) throw new Error("fixture lacks details-v1");
    scaled.workloads.set(details.key, { ...details, replicas: 3 });
    expect(istiod.observe(scaled).pushed).toEqual(["eds"]);
  });
});
