import { describe, expect, it } from "vitest";
import type { PrometheusClient } from "@/server/prometheus/client";
import { summaryQueries, trafficSummaries } from "./summary";

function recordingClient(answers: Record<string, { metric: Record<string, string>; value: [number, string] }[]>) {
  const sent: string[] = [];
  const client: PrometheusClient = {
    baseUrl: "http://prometheus.test",
    async instant(query) {
      sent.push(query);
      if (query.startsWith("histogram_quantile")) return answers.p95 ?? [];
      return query.includes('response_code=~"5.."') ? (answers.errors ?? []) : (answers.requests ?? []);
    },
    async queryData() {
      throw new Error("not used");
    },
    async range() {
      throw new Error("not used");
    },
  };
  return { client, sent };
}

const labels = (namespace: string, workload: string) => ({ destination_workload_namespace: namespace, destination_workload: workload });

describe("trafficSummaries", () => {
  it("combines rates, errors and p95 per workload, with health from the error share", async () => {
    const { client } = recordingClient({
      requests: [
        { metric: labels("bookinfo", "reviews-v1"), value: [0, "10"] },
        { metric: labels("bookinfo", "ratings-v1"), value: [0, "4"] },
      ],
      errors: [{ metric: labels("bookinfo", "ratings-v1"), value: [0, "2"] }],
      p95: [
        { metric: labels("bookinfo", "reviews-v1"), value: [0, "42.5"] },
        { metric: labels("bookinfo", "ratings-v1"), value: [0, "NaN"] },
      ],
    });
    const summaries = await trafficSummaries(client, "workload", ["bookinfo"], "5m");
    expect(summaries.get("bookinfo/reviews-v1")).toEqual({ requestRate: 10, errorRate: 0, p95Ms: 42.5, health: "healthy" });
    expect(summaries.get("bookinfo/ratings-v1")).toEqual({ requestRate: 4, errorRate: 2, p95Ms: null, health: "failing" });
  });

  it("sends three queries for one namespace or fifty", async () => {
    const one = recordingClient({});
    await trafficSummaries(one.client, "service", ["a"], "1h");
    const many = recordingClient({});
    await trafficSummaries(many.client, "service", Array.from({ length: 50 }, (_, i) => `ns-${i}`), "1h");
    expect(one.sent).toHaveLength(3);
    expect(many.sent).toHaveLength(3);
  });

  it("matches namespaces literally, so a dot is not a wildcard", () => {
    expect(summaryQueries("app", ["mesh.lab", "bookinfo"], "5m").requests).toContain('destination_workload_namespace=~"mesh\\\\.lab|bookinfo"');
  });
});
