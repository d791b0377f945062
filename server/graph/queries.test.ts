import { describe, expect, it } from "vitest";
import { escapeRegex } from "@/server/prometheus/promql";
import { buildGraphQueries, combineQueries, PART_LABEL, splitCombined } from "./queries";
import { RAW_METRICS, metricNamesFor } from "@/server/telemetry";

const ALL = new Set(["responseTime", "throughput", "security"]);

/** The query with every string literal's content removed: what is left is the query's structure. */
function structure(query: string): { skeleton: string; literals: string[] } {
  let skeleton = "";
  const literals: string[] = [];
  for (let index = 0; index < query.length; index++) {
    const char = query[index];
    if (char !== '"') {
      skeleton += char;
      continue;
    }
    let literal = "";
    for (index++; index < query.length && query[index] !== '"'; index++) {
      if (query[index] === "\\") index++;
      literal += query[index];
    }
    skeleton += '""';
    literals.push(literal);
  }
  return { skeleton, literals };
}

describe("buildGraphQueries", () => {
  it("puts all namespaces into one regex matcher, so the query count does not depend on them", () => {
    const one = buildGraphQueries({ namespaces: ["bookinfo"], rateWindowSeconds: 60 }, RAW_METRICS, ALL);
    const many = buildGraphQueries({ namespaces: Array.from({ length: 20 }, (_, index) => `team-${index}`), rateWindowSeconds: 60 }, RAW_METRICS, ALL);
    expect(Object.keys(many)).toEqual(Object.keys(one));
    expect(many.requests).toContain('source_workload_namespace=~"team-0|team-1|');
  });

  it("keeps a hostile namespace inside string literals, leaving the query's structure unchanged", () => {
    const hostile = 'a"}) or vector(1) #\\';
    const attacked = buildGraphQueries({ namespaces: [hostile, "bookinfo"], rateWindowSeconds: 60 }, RAW_METRICS, ALL);
    const benign = buildGraphQueries({ namespaces: ["x", "bookinfo"], rateWindowSeconds: 60 }, RAW_METRICS, ALL);
    for (const key of Object.keys(benign) as (keyof typeof benign)[]) {
      const attackedQuery = structure(attacked[key] as string);
      expect(attackedQuery.skeleton).toBe(structure(benign[key] as string).skeleton);
      expect(attackedQuery.skeleton).not.toContain("vector(1)");
      // The value survives, regex-escaped, as the whole content of the namespace literal.
      expect(attackedQuery.literals).toContain(`${escapeRegex(hostile)}|bookinfo`);
    }
  });

  it("counts source reports and adds destination reports only for sources outside the mesh", () => {
    const { requests } = buildGraphQueries({ namespaces: ["bookinfo"], rateWindowSeconds: 300 }, RAW_METRICS, new Set());
    expect(requests).toContain('reporter="source",source_workload_namespace="bookinfo"');
    // Callers in the namespaces are already counted by their outbound reports.
    expect(requests).toContain('reporter="source",destination_service_namespace="bookinfo",source_workload_namespace!="bookinfo"');
    expect(requests).toContain('reporter="destination",source_workload="unknown",destination_workload_namespace="bookinfo"');
    expect(requests).toContain("[300s]");
  });

  it("reads each report once: inbound scopes leave out callers the outbound scopes already read", () => {
    const { requests, security } = buildGraphQueries({ namespaces: ["shop", "billing"], rateWindowSeconds: 60 }, RAW_METRICS, ALL);
    const scopes = (query: string | undefined) => [...(query ?? "").matchAll(/rate\((\{[^}]*\})/g)].map((match) => match[1]);
    for (const scope of scopes(requests)) {
      const inbound = scope?.includes("destination_service_namespace=~");
      const outsideTheMesh = scope?.includes('source_workload="unknown"');
      // The destination's own reports of callers outside the mesh are read by no outbound scope.
      expect(scope?.includes('source_workload_namespace!~"shop|billing"'), scope).toBe(Boolean(inbound && !outsideTheMesh));
    }
    expect(scopes(security).filter((scope) => scope?.includes('source_workload_namespace!~"shop|billing"'))).toHaveLength(2);
  });

  it("asks for latency, throughput and security only when the graph shows them", () => {
    const bare = buildGraphQueries({ namespaces: ["bookinfo"], rateWindowSeconds: 60 }, RAW_METRICS, new Set());
    expect(Object.keys(bare).sort()).toEqual(["requests", "tcpBytes"]);
    const full = buildGraphQueries({ namespaces: ["bookinfo"], rateWindowSeconds: 60 }, RAW_METRICS, ALL);
    expect(full.latency).toContain("histogram_quantile(0.95,");
    // One quantile: each one recomputes the bucket rates, the costliest part of a refresh at scale.
    expect(full.latency?.match(/histogram_quantile/g)).toHaveLength(1);
    expect(full.security).toContain('reporter="destination"');
    expect(full.security).not.toContain('reporter="source"');
  });

  it("reads Istio's recorded metrics when they exist", () => {
    const recorded = metricNamesFor(new Set(["workload:istio_requests_total", "workload:istio_tcp_sent_bytes_total"]));
    const queries = buildGraphQueries({ namespaces: ["bookinfo"], rateWindowSeconds: 60 }, recorded, new Set());
    expect(queries.requests).toContain('__name__="workload:istio_requests_total"');
    expect(queries.tcpBytes).toContain('__name__="workload:istio_tcp_sent_bytes_total"');
    expect(queries.tcpBytes).toContain('__name__="istio_tcp_received_bytes_total"');
  });
});

describe("combined queries", () => {
  it("tags each part so the answer splits back into the parts, without the tag", () => {
    const combined = combineQueries({ tcp: "sum(rate(a[1m])) or sum(rate(b[1m]))", throughput: "sum(rate(c[1m]))" });
    expect(combined).toBe(
      `label_replace((sum(rate(a[1m])) or sum(rate(b[1m]))), "${PART_LABEL}", "tcp", "", "") or label_replace((sum(rate(c[1m]))), "${PART_LABEL}", "throughput", "", "")`,
    );
    const parts = splitCombined([
      { metric: { [PART_LABEL]: "tcp", source_workload: "ratings-v1" }, value: [0, "5"] as [number, string] },
      { metric: { [PART_LABEL]: "throughput", source_workload: "ratings-v1" }, value: [0, "7"] as [number, string] },
      { metric: { [PART_LABEL]: "tcp", source_workload: "reviews-v2" }, value: [0, "3"] as [number, string] },
    ]);
    expect(parts.get("tcp")).toEqual([
      { metric: { source_workload: "ratings-v1" }, value: [0, "5"] },
      { metric: { source_workload: "reviews-v2" }, value: [0, "3"] },
    ]);
    expect(parts.get("throughput")?.[0]?.value[1]).toBe("7");
  });

  it("refuses part names that would need escaping", () => {
    expect(() => combineQueries({ 'a"': "up" })).toThrow(/lower-case letters/);
  });
});
