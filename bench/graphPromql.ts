/**
 * What the graph benchmarks share: the exact PromQL one /api/graph refresh sends, and timing
 * helpers. The PromQL is not rebuilt here by hand (it would drift whenever the graph's queries
 * change): the product's own buildGraph runs against a client that forwards to Prometheus and
 * records every query, so "the same PromQL straight to Prometheus" stays the same by construction.
 */
import { buildGraph, parseGraphRequest } from "@/server/graph";
import { recordingRulesQuery } from "@/server/telemetry";
import { GRAPH_REUSE_MS } from "@/server/graph/sharedBuilds";
import { SHARED_QUERY_TTL_MS } from "@/server/prometheus";
import type { PrometheusClient } from "@/server/prometheus/client";
import type { QueryData, VectorSample } from "@/server/prometheus/responses";

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Long enough after a refresh that the console builds the next one afresh instead of serving a shared graph or answer. */
export const PAST_REUSE_MS = Math.max(GRAPH_REUSE_MS, SHARED_QUERY_TTL_MS) + 100;

/** One instant query straight to Prometheus, as the console sends it (POST form); returns the parsed data. */
export async function queryPrometheus(prometheusUrl: string, query: string, timeSeconds?: number): Promise<QueryData> {
  const form = new URLSearchParams({ query });
  if (timeSeconds !== undefined) form.set("time", String(timeSeconds));
  const response = await fetch(`${prometheusUrl}/api/v1/query`, { method: "POST", body: form });
  const body = (await response.json()) as { status: string; data: QueryData; error?: string };
  if (body.status !== "success") throw new Error(`Prometheus at ${prometheusUrl} rejected a graph query: ${body.error ?? response.status}`);
  return body.data;
}

export interface GraphPromql {
  /** Sent on every refresh. */
  perRefresh: string[];
  /** The recording-rules check, sent at most once a minute (so not counted per refresh). */
  recordingRulesCheck: string;
}

/**
 * The PromQL the console sends for `/api/graph?<graphQuery>`, captured from the product's own code.
 * `recordingRules: false` captures what a console that does not see Istio's recording rules sends
 * (the raw metrics), whatever the Prometheus holds.
 */
export async function graphPromql(prometheusUrl: string, graphQuery: string, options: { recordingRules?: boolean } = {}): Promise<GraphPromql> {
  const sent: string[] = [];
  const check = recordingRulesQuery();
  const recording: PrometheusClient = {
    baseUrl: prometheusUrl,
    async queryData(query, time) {
      sent.push(query);
      if (query === check && options.recordingRules === false) return { resultType: "vector", result: [] };
      return queryPrometheus(prometheusUrl, query, time);
    },
    async instant(query, time) {
      const data = await this.queryData(query, time);
      return data.resultType === "vector" ? (data.result as VectorSample[]) : [];
    },
    range() {
      throw new Error("The graph sends no range queries; the benchmark's capture of its PromQL needs updating");
    },
  };
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const request = parseGraphRequest(new URL(`http://console/api/graph?${graphQuery}`), nowSeconds());
  // Kubernetes facts only add sidecar state; they send no PromQL.
  await buildGraph(request, { prometheus: recording, inventory: () => Promise.reject(new Error("not needed")), nowSeconds });
  return { perRefresh: sent.filter((query) => query !== check), recordingRulesCheck: check };
}

/**
 * Sends a refresh's PromQL straight to Prometheus, all at once as the console does. The answers are
 * read but not parsed: this is the cost of Prometheus alone, the baseline the console is compared to.
 */
export async function sendStraight(prometheusUrl: string, queries: readonly string[]): Promise<void> {
  const time = String(Math.floor(Date.now() / 1000));
  await Promise.all(
    queries.map(async (query) => {
      const response = await fetch(`${prometheusUrl}/api/v1/query`, { method: "POST", body: new URLSearchParams({ query, time }) });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`Prometheus at ${prometheusUrl} answered ${response.status} to a graph query`);
    }),
  );
}
