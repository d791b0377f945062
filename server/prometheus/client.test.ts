import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/demo/orchestrate/ports";
import { startPrometheus, type RunningPrometheus } from "@/demo/orchestrate/prometheus";
import { createPrometheusClient } from "./client";
import { PrometheusError } from "./errors";

const settings = { timeoutMs: 2_000, insecureSkipVerify: false, headers: {} };

async function localServer(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("Prometheus client against a real Prometheus", () => {
  let prometheus: RunningPrometheus;
  beforeAll(async () => {
    prometheus = await startPrometheus({ port: await freePort(), scrapeIntervalSeconds: 5, targets: [] });
  });
  afterAll(() => prometheus?.stop());

  it("answers instant queries as vectors and range queries as matrices", async () => {
    const client = createPrometheusClient({ ...settings, url: prometheus.url });
    const vector = await client.instant('label_replace(vector(42), "namespace", "bookinfo", "", "")');
    expect(vector).toHaveLength(1);
    expect(vector[0]?.metric).toEqual({ namespace: "bookinfo" });
    expect(vector[0]?.value[1]).toBe("42");

    const now = Math.floor(Date.now() / 1000);
    const matrix = await client.range("vector(1)", { start: now - 60, end: now, stepSeconds: 15 });
    expect(matrix[0]?.values.length).toBeGreaterThanOrEqual(4);
  });

  it("reports a query Prometheus rejects, with Prometheus' reason", async () => {
    const client = createPrometheusClient({ ...settings, url: prometheus.url });
    const error = await client.instant("sum(").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PrometheusError);
    expect((error as PrometheusError).failure).toBe("query");
    expect((error as PrometheusError).message).toMatch(/rejected the query \(bad_data\)/);
  });
});

describe("Prometheus client failures", () => {
  it("says Prometheus could not be reached when nothing listens", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const error = (await createPrometheusClient({ ...settings, url }).instant("up").catch((caught: unknown) => caught)) as PrometheusError;
    expect(error.failure).toBe("unreachable");
    expect(error.message).toContain(`Prometheus at ${url} could not be reached (ECONNREFUSED)`);
    expect(error.consoleStatus).toBe(502);
  });

  it("gives up after the time limit and says how long it waited", async () => {
    const silent = await localServer(() => {
      // Never answers.
    });
    try {
      const error = (await createPrometheusClient({ ...settings, url: silent.url, timeoutMs: 300 }).instant("up").catch((caught: unknown) => caught)) as PrometheusError;
      expect(error.failure).toBe("timeout");
      expect(error.message).toBe(`Prometheus at ${silent.url} did not answer within 0.3 s`);
      expect(error.consoleStatus).toBe(504);
    } finally {
      await silent.close();
    }
  });

  it("refuses an answer that is not the Prometheus API, and sends the configured headers", async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const proxy = await localServer((request, response) => {
      seen.push(request.headers);
      response.setHeader("content-type", "text/html");
      response.end("<html>login</html>");
    });
    try {
      const client = createPrometheusClient({ ...settings, url: proxy.url, headers: { "X-Scope-OrgID": "team-a" } });
      const error = (await client.instant("up").catch((caught: unknown) => caught)) as PrometheusError;
      expect(error.message).toMatch(/not JSON; is PROMETHEUS_URL pointing at the Prometheus API/);
      expect(seen[0]?.["x-scope-orgid"]).toBe("team-a");
    } finally {
      await proxy.close();
    }
  });
});
