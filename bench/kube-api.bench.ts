/**
 * Kubernetes API emulator figures (prints, asserts nothing):
 *   - list latency over 10,000 VirtualServices (full list and 500-item pages), p50/p95;
 *   - watch fan-out: time from a write until 50 watchers have all received its event, p50/p95;
 *   - Deployment + Service creation rate, as the simulator's scale mode drives it.
 *
 *   npx tsx bench/kube-api.bench.ts [--objects 10000] [--watchers 50]
 */
import { parseArgs } from "node:util";
import { startKubeApi, type KubeApi } from "../demo/kube-api/index";

const { values } = parseArgs({ options: { objects: { type: "string", default: "10000" }, watchers: { type: "string", default: "50" }, deployments: { type: "string", default: "1000" } } });
const OBJECTS = Number(values.objects);
const WATCHERS = Number(values.watchers);
const DEPLOYMENTS = Number(values.deployments);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function request(api: KubeApi, method: string, path: string, body?: unknown, contentType = "application/json"): Promise<Response> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${api.tokens.admin}`, ...(body === undefined ? {} : { "Content-Type": contentType }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

async function inBatches(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

function virtualService(i: number) {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: `route-${i}`, labels: { shard: String(i % 10) } },
    spec: { hosts: [`svc-${i}`], http: [{ route: [{ destination: { host: `svc-${i}`, subset: "v1" }, weight: 90 }, { destination: { host: `svc-${i}`, subset: "v2" }, weight: 10 }] }] },
  };
}

async function benchList(api: KubeApi): Promise<void> {
  await request(api, "POST", "/api/v1/namespaces", { metadata: { name: "bench" } });
  const started = performance.now();
  await inBatches(OBJECTS, 16, (i) => request(api, "POST", "/apis/networking.istio.io/v1/namespaces/bench/virtualservices", virtualService(i)).then((r) => r.arrayBuffer()));
  const createMs = performance.now() - started;
  console.log(`created ${OBJECTS} VirtualServices over HTTP in ${fmt(createMs)} (${((OBJECTS / createMs) * 1000).toFixed(0)}/s)`);

  const full: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    const res = await request(api, "GET", "/apis/networking.istio.io/v1/namespaces/bench/virtualservices");
    bytes = (await res.arrayBuffer()).byteLength;
    full.push(performance.now() - t);
  }
  console.log(`list ${OBJECTS} (${(bytes / 1e6).toFixed(1)} MB): p50 ${fmt(percentile(full, 50))}, p95 ${fmt(percentile(full, 95))} over ${full.length} lists`);

  const paged: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await (await request(api, "GET", "/apis/networking.istio.io/v1/virtualservices?limit=500")).arrayBuffer();
    paged.push(performance.now() - t);
  }
  console.log(`list first page of 500 (cluster-wide): p50 ${fmt(percentile(paged, 50))}, p95 ${fmt(percentile(paged, 95))}`);

  const selected: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await (await request(api, "GET", "/apis/networking.istio.io/v1/namespaces/bench/virtualservices?labelSelector=shard%20in%20(1,2)")).arrayBuffer();
    selected.push(performance.now() - t);
  }
  console.log(`list with labelSelector (2,000 of ${OBJECTS}): p50 ${fmt(percentile(selected, 50))}, p95 ${fmt(percentile(selected, 95))}`);
}

/** Opens a raw watch and calls `onEvent` with each event's resourceVersion and name. */
async function openWatch(api: KubeApi, path: string, signal: AbortSignal, onEvent: (name: string) => void): Promise<void> {
  const res = await fetch(`${api.url}${path}`, { headers: { Authorization: `Bearer ${api.tokens.admin}` }, signal });
  const reader = res.body?.getReader();
  if (!reader) throw new Error("watch without a body");
  const decoder = new TextDecoder();
  let buffered = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        let newline = buffered.indexOf("\n");
        while (newline >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          const event = JSON.parse(line) as { object: { metadata: { annotations?: Record<string, string> } } };
          onEvent(event.object.metadata.annotations?.probe ?? "");
          newline = buffered.indexOf("\n");
        }
      }
    } catch {
      // Aborted at the end of the benchmark.
    }
  })();
}

async function benchFanOut(api: KubeApi): Promise<void> {
  await request(api, "POST", "/api/v1/namespaces", { metadata: { name: "fanout" } });
  await request(api, "POST", "/apis/networking.istio.io/v1/namespaces/fanout/virtualservices", virtualService(0));
  const rv = ((await (await request(api, "GET", "/apis/networking.istio.io/v1/namespaces/fanout/virtualservices")).json()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const controller = new AbortController();
  const waiting = new Map<string, { remaining: number; done: () => void }>();
  await Promise.all(
    Array.from({ length: WATCHERS }, () =>
      openWatch(api, `/apis/networking.istio.io/v1/namespaces/fanout/virtualservices?watch=true&resourceVersion=${rv}`, controller.signal, (probe) => {
        const entry = waiting.get(probe);
        if (entry && --entry.remaining === 0) entry.done();
      }),
    ),
  );
  const samples: number[] = [];
  for (let i = 0; i < 100; i++) {
    const probe = `p${i}`;
    const delivered = new Promise<void>((resolve) => waiting.set(probe, { remaining: WATCHERS, done: resolve }));
    const t = performance.now();
    await request(api, "PATCH", "/apis/networking.istio.io/v1/namespaces/fanout/virtualservices/route-0", { metadata: { annotations: { probe } } }, "application/merge-patch+json");
    await delivered;
    samples.push(performance.now() - t);
  }
  controller.abort();
  console.log(`watch fan-out to ${WATCHERS} watchers (write → all received): p50 ${fmt(percentile(samples, 50))}, p95 ${fmt(percentile(samples, 95))} over ${samples.length} writes`);
}

async function benchDeployments(api: KubeApi): Promise<void> {
  await request(api, "POST", "/api/v1/namespaces", { metadata: { name: "scale", labels: { "istio-injection": "enabled" } } });
  const started = performance.now();
  await inBatches(DEPLOYMENTS, 8, async (i) => {
    const app = `svc-${i}`;
    await (await request(api, "POST", "/api/v1/namespaces/scale/services", { metadata: { name: app }, spec: { selector: { app }, ports: [{ name: "http", port: 8080 }] } })).arrayBuffer();
    await (
      await request(api, "POST", "/apis/apps/v1/namespaces/scale/deployments", {
        metadata: { name: `${app}-v1` },
        spec: { replicas: 1, selector: { matchLabels: { app, version: "v1" } }, template: { metadata: { labels: { app, version: "v1" } }, spec: { containers: [{ name: app, image: "demo:1" }] } } },
      })
    ).arrayBuffer();
  });
  const ms = performance.now() - started;
  console.log(`created ${DEPLOYMENTS} Services + Deployments (with ReplicaSets, injected Pods, Endpoints) in ${fmt(ms)} (${((DEPLOYMENTS / ms) * 1000).toFixed(0)} pairs/s); pods: ${api.count("pods")}`);
}

async function main(): Promise<void> {
  const api = await startKubeApi({ historyLimit: 1000 });
  try {
    console.log(`node ${process.version}, emulator at ${api.url}`);
    await benchList(api);
    await benchFanOut(api);
    await benchDeployments(api);
  } finally {
    await api.close();
  }
}

void main();
