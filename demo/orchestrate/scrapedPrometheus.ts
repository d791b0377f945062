/**
 * For tests: a real Prometheus scraping an exposition the test writes, every second, as it would
 * scrape Istio's proxies. The exposition is asked for with the seconds since the start, so a
 * counter written as `rate × elapsed` grows at exactly that rate.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "./ports";
import { startPrometheus } from "./prometheus";
import { createPrometheusClient, type PrometheusClient } from "@/server/prometheus/client";

export interface ScrapedPrometheus {
  client: PrometheusClient;
  stop(): Promise<void>;
}

/**
 * Starts Prometheus on `exposition` and waits (at most 30 s) until every series of `metric` has
 * been scraped `samples` times, so a rate window shorter than that is covered from end to end and
 * its rates are the exposition's own, not extrapolated from a few points.
 */
export async function startScrapedPrometheus(exposition: (elapsedSeconds: number) => string, ready: { metric: string; samples: number }): Promise<ScrapedPrometheus> {
  const started = Date.now() / 1000;
  const server = http.createServer((_request, response) => {
    response.setHeader("content-type", "text/plain; version=0.0.4");
    response.end(exposition(Date.now() / 1000 - started + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const closeServer = () => new Promise((resolve) => server.close(resolve));
  const { port } = server.address() as AddressInfo;
  const prometheus = await startPrometheus({ port: await freePort(), scrapeIntervalSeconds: 1, targets: [{ job: "sidecars", address: `127.0.0.1:${port}` }] }).catch(async (error: unknown) => {
    await closeServer();
    throw error;
  });
  const client = createPrometheusClient({ url: prometheus.url, timeoutMs: 10_000, insecureSkipVerify: false, headers: {} });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const counts = await client.instant(`count_over_time(${ready.metric}[1h])`);
    if (counts.length > 0 && counts.every((count) => Number(count.value[1]) >= ready.samples)) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return {
    client,
    async stop() {
      await prometheus.stop();
      await closeServer();
    },
  };
}
