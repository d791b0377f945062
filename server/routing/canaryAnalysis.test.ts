import { describe, expect, it } from "vitest";
import { canaryQueries } from "./canaryAnalysis";

describe("canaryQueries", () => {
  it("counts the requests Istio reports against a Gateway API route's version Services as the service's", () => {
    const plain = canaryQueries({ namespace: "storefront", service: "catalog" }, 30);
    const routed = canaryQueries({ namespace: "storefront", service: "catalog" }, 30, undefined, ["catalog-v1", "catalog-v2"]);
    expect(plain.requests).not.toContain("catalog-v2");
    for (const name of ["catalog", "catalog-v1", "catalog-v2"]) expect(routed.requests).toContain(`destination_service_name="${name}"`);
    expect(routed.requests.match(/rate\(/g)!.length).toBe(3 * plain.requests.match(/rate\(/g)!.length);
  });
});
