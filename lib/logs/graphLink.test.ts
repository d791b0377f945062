import { describe, expect, it } from "vitest";
import { parseAccessLogLine } from "./accessLog";
import { graphLinkForEntry } from "./graphLink";

const line = (cluster: string) => `[2026-12-07T03:10:12.000Z] "GET /ratings/0 HTTP/1.1" 503 FI fault_filter_abort - "-" 0 18 0 - "-" "ua" "id" "ratings:9080" "-" ${cluster} - - - - -`;

describe("graphLinkForEntry", () => {
  it("focuses the workload and finds the destination Service of an outbound call", () => {
    const entry = parseAccessLogLine(line("outbound|9080||ratings.shop.svc.cluster.local"))!;
    const url = new URL(graphLinkForEntry(entry, { namespace: "bookinfo", workload: "reviews-v2" }, "5m"), "http://console");
    expect(url.pathname).toBe("/graph");
    expect(url.searchParams.get("namespaces")).toBe("bookinfo,shop");
    expect(url.searchParams.get("graphType")).toBe("workload");
    expect(url.searchParams.get("focus")).toBe("workload~bookinfo~reviews-v2~");
    expect(url.searchParams.get("find")).toBe("service=ratings");
    expect(url.searchParams.get("window")).toBe("5m");
  });

  it("focuses only the workload for an inbound line", () => {
    const entry = parseAccessLogLine(line("inbound|9080||"))!;
    const url = new URL(graphLinkForEntry(entry, { namespace: "bookinfo", workload: "ratings-v1" }), "http://console");
    expect(url.searchParams.get("namespaces")).toBe("bookinfo");
    expect(url.searchParams.get("find")).toBeNull();
  });
});
