/**
 * Fault tests: what a person sees when Prometheus stops or slows down, when the Kubernetes API
 * server restarts, when many people shift the same canary at once, and when the console itself is
 * restarted under load. They stop and start processes, so they run against a demo of their own
 * (demo/orchestrate/faultDemo.ts), never the shared one, and each test starts the console it needs.
 */
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { KubeConfig, Watch } from "@kubernetes/client-node";
import { expect, test, type Page } from "@playwright/test";
import { startFaultDemo, type FaultDemo, type Restartable } from "../demo/orchestrate/faultDemo";
import { startSlowProxy, type SlowProxy } from "../demo/orchestrate/slowProxy";
import { E2E_STATE_DIR } from "./demoEndpoints";

test.describe.configure({ mode: "serial" });

let demo: FaultDemo;
const running: { stop(): Promise<void> }[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  demo = await startFaultDemo({ stateDir: path.join(E2E_STATE_DIR, "faults"), scrapeIntervalSeconds: 1, log: process.env.E2E_DEMO_LOG === "1" ? "inherit" : "quiet" });
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  for (const item of running.splice(0).reverse()) await item.stop();
  await demo?.stop();
});

async function startConsole(env: Record<string, string> = {}): Promise<Restartable> {
  const console = await demo.startConsole(env);
  running.push(console);
  return console;
}

async function proxy(target: string): Promise<SlowProxy> {
  const started = await startSlowProxy({ target });
  running.push(started);
  return started;
}

interface JsonAnswer {
  status: number;
  // Answers of several console routes; each test reads the fields it knows.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function getJson(url: string, init: RequestInit = {}): Promise<JsonAnswer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the failure message.
  }
  return { status: response.status, body };
}

const CHANGE_HEADERS = { "content-type": "application/json", "x-mesh-console": "1" };
const TRAFFIC_SHIFT = "/api/namespaces/bookinfo/services/reviews/traffic-shift";

async function graphNodeCount(page: Page): Promise<number> {
  return page.evaluate(() => window.__meshGraph?.nodeIds().length ?? 0);
}

test("Prometheus slower than PROMETHEUS_TIMEOUT: graph and signals answer 504 naming the limit, readiness names Prometheus", async () => {
  const slow = await proxy(demo.prometheus.url);
  const consoleServer = await startConsole({ PROMETHEUS_URL: slow.url, PROMETHEUS_TIMEOUT: "2s" });
  // Every query answers after 6 s, three times the console's limit.
  slow.setDelay(6_000);

  const graph = await getJson(`${consoleServer.url}/api/graph?namespaces=bookinfo`);
  expect(graph.status).toBe(504);
  expect(graph.body.error.message).toBe(`Prometheus at ${slow.url} did not answer within 2 s`);

  const signals = await getJson(`${consoleServer.url}/api/signals?kind=service&namespace=bookinfo&name=reviews`);
  expect(signals.status).toBe(504);
  expect(signals.body.error.message).toContain("did not answer within 2 s");

  const ready = await getJson(`${consoleServer.url}/api/ready`);
  expect(ready.status).toBe(503);
  expect(ready.body.checks.prometheus).toMatchObject({ ok: false, detail: `Prometheus at ${slow.url} did not answer within 2 s` });
  expect(ready.body.checks.kubernetes.ok).toBe(true);
  expect(slow.heldRequests()).toBeGreaterThan(0);

  // Prometheus fast again: the same console serves the graph without a restart.
  slow.setDelay(0);
  await expect.poll(async () => (await getJson(`${consoleServer.url}/api/graph?namespaces=bookinfo`)).status, { timeout: 20_000 }).toBe(200);
  await expect.poll(async () => (await getJson(`${consoleServer.url}/api/ready`)).status, { timeout: 20_000 }).toBe(200);
  await consoleServer.stop();
});

test("Prometheus stopped under an open graph: the last graph stays, marked stale, and recovers when Prometheus is back", async ({ page }) => {
  test.setTimeout(120_000);
  const consoleServer = await startConsole();
  const pageErrors: Error[] = [];
  page.on("pageerror", (error) => pageErrors.push(error));

  await page.goto(`${consoleServer.url}/graph?namespaces=bookinfo&refresh=5s`);
  await expect.poll(() => graphNodeCount(page), { timeout: 45_000, intervals: [1_000] }).toBeGreaterThan(5);

  await demo.prometheus.pause();
  const stale = page.getByRole("status").filter({ hasText: "Showing the last data received; the latest refresh failed" });
  await expect(stale).toBeVisible({ timeout: 30_000 });
  await expect(stale).toContainText(`Prometheus at ${demo.prometheus.url} could not be reached`);
  // The last graph stays drawn, refresh after failed refresh.
  const nodesKept = await graphNodeCount(page);
  expect(nodesKept).toBeGreaterThan(5);
  await page.waitForResponse((response) => response.url().includes("/api/graph?") && response.status() === 502, { timeout: 20_000 });
  expect(await graphNodeCount(page)).toBe(nodesKept);
  await expect(stale).toBeVisible();

  const api = await getJson(`${consoleServer.url}/api/graph?namespaces=bookinfo`);
  expect([502, 503]).toContain(api.status);
  expect(api.body.error.message).toContain(`Prometheus at ${demo.prometheus.url} could not be reached (ECONNREFUSED)`);
  expect((await getJson(`${consoleServer.url}/api/health`)).status).toBe(200);

  const resumedAtSeconds = Math.floor(Date.now() / 1000);
  await demo.prometheus.resume();
  // The page's own refresh brings it back: a graph computed after the restart arrives and the banner goes.
  const fresh = await page.waitForResponse(
    async (response) => {
      if (!response.url().includes("/api/graph?") || response.status() !== 200) return false;
      // The page takes the graph as a gzip file (lib/gzippedJson.ts).
      const body = JSON.parse(gunzipSync(await response.body()).toString("utf8")) as { timestamp: number };
      return body.timestamp >= resumedAtSeconds;
    },
    { timeout: 30_000 },
  );
  expect(fresh.ok()).toBe(true);
  await expect(stale).toBeHidden({ timeout: 15_000 });
  expect(await graphNodeCount(page)).toBeGreaterThan(5);
  expect(pageErrors).toEqual([]);
  await consoleServer.stop();
});

/** `{v1: 20, v2: 80}` of each route of a VirtualService that splits by weight; a lone destination carries 100. */
function storedWeightSums(virtualService: { spec?: { http?: { route?: { weight?: number }[] }[] } }): number[] {
  return (virtualService.spec?.http ?? []).map((route) => {
    const destinations = route.route ?? [];
    if (destinations.length === 1 && destinations[0]?.weight === undefined) return 100;
    return destinations.reduce((sum, destination) => sum + (destination.weight ?? 0), 0);
  });
}

/** A split without its 0 % subsets: a route may leave them out or keep them at weight 0. */
function nonZero(weights: Record<string, number> | null): Record<string, number> {
  return Object.fromEntries(Object.entries(weights ?? {}).filter(([, weight]) => weight > 0));
}

function deepEqual(left: Record<string, number>, right: Record<string, number>): boolean {
  return JSON.stringify(Object.entries(left).sort()) === JSON.stringify(Object.entries(right).sort());
}

function randomWeights(random: () => number): Record<string, number> {
  const first = Math.floor(random() * 101);
  const second = Math.floor(random() * (101 - first));
  return { v1: first, v2: second, v3: 100 - first - second };
}

/** A seeded generator (mulberry32), so a failing run can be replayed with the same weights. */
function seededRandom(seed: number): () => number {
  let state = (seed * 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

test("200 concurrent traffic shifts from 10 people: each applies whole or gets 409, nothing is lost, every stored split sums to 100", async () => {
  test.setTimeout(120_000);
  // Each person signs in with a token and so has a session of their own, with its own change budget
  // (60 at once, then 1 a second): 20 changes each stay inside it. In anonymous mode every caller
  // shares one budget and most of these changes would rightly get 429.
  const consoleServer = await startConsole({ MESH_CONSOLE_AUTH: "token" });
  const sessions: string[] = [];
  for (let person = 0; person < 10; person++) {
    const response = await fetch(`${consoleServer.url}/api/auth/login`, { method: "POST", headers: CHANGE_HEADERS, body: JSON.stringify({ token: demo.adminToken }) });
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie")?.split(";")[0];
    expect(cookie).toMatch(/^mesh-console-session=/);
    sessions.push(cookie!);
  }

  // The first shift creates the VirtualService; everything after replaces it.
  const created = await getJson(`${consoleServer.url}${TRAFFIC_SHIFT}`, { method: "PUT", headers: { ...CHANGE_HEADERS, cookie: sessions[0]! }, body: JSON.stringify({ weights: { v1: 34, v2: 33, v3: 33 }, resourceVersion: "" }) });
  expect(created.status, JSON.stringify(created.body)).toBe(200);

  const createdState = await getJson(`${consoleServer.url}${TRAFFIC_SHIFT}`, { headers: { cookie: sessions[0]! } });

  // Every version of the VirtualService the API server stores, as a watcher sees it.
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(demo.kubeconfig);
  const vsPath = "/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices";
  const listed = await getJson(`${demo.kubeApi.url}${vsPath}`, { headers: { authorization: `Bearer ${demo.adminToken}` } });
  const stored: { resourceVersion: number; sums: number[]; weights: Record<string, number> }[] = [];
  const watchErrors: unknown[] = [];
  const watch = await new Watch(kubeConfig).watch(
    vsPath,
    { resourceVersion: listed.body.metadata.resourceVersion },
    (type, object: { metadata: { name: string; resourceVersion: string }; spec?: { http?: { route?: { destination: { subset?: string }; weight?: number }[] }[] } }) => {
      if (object.metadata.name !== "reviews" || type !== "MODIFIED") return;
      const weights = Object.fromEntries((object.spec?.http?.at(-1)?.route ?? []).map((destination) => [destination.destination.subset ?? "", destination.weight ?? 0]));
      stored.push({ resourceVersion: Number(object.metadata.resourceVersion), sums: storedWeightSums(object), weights });
    },
    (error) => {
      if (error) watchErrors.push(error);
    },
  );

  interface Attempt {
    readResourceVersion: string;
    weights: Record<string, number>;
    status: number;
    message?: string;
  }
  const attempts: Attempt[] = [];
  try {
    await Promise.all(
      sessions.map(async (cookie, person) => {
        const random = seededRandom(person + 1);
        for (let change = 0; change < 20; change++) {
          const state = await getJson(`${consoleServer.url}${TRAFFIC_SHIFT}`, { headers: { cookie } });
          expect(state.status).toBe(200);
          const readResourceVersion = state.body.virtualService.resourceVersion as string;
          const weights = randomWeights(random);
          const answer = await getJson(`${consoleServer.url}${TRAFFIC_SHIFT}`, { method: "PUT", headers: { ...CHANGE_HEADERS, cookie }, body: JSON.stringify({ weights, resourceVersion: readResourceVersion }) });
          attempts.push({ readResourceVersion, weights, status: answer.status, message: answer.body?.error?.message });
        }
      }),
    );
    // Let the watch deliver the last event before it is closed.
    const final = await getJson(`${consoleServer.url}${TRAFFIC_SHIFT}`, { headers: { cookie: sessions[0]! } });
    await expect.poll(() => stored.at(-1)?.resourceVersion ?? 0, { timeout: 10_000 }).toBe(Number(final.body.virtualService.resourceVersion));

    expect(attempts).toHaveLength(200);
    const unexpected = attempts.filter((attempt) => attempt.status !== 200 && attempt.status !== 409);
    expect(unexpected, JSON.stringify(unexpected.slice(0, 3))).toEqual([]);
    for (const conflict of attempts.filter((attempt) => attempt.status === 409)) expect(conflict.message).toContain("was changed by someone else since you opened it");
    const applied = attempts.filter((attempt) => attempt.status === 200);
    expect(applied.length).toBeGreaterThan(0);
    test.info().annotations.push({ type: "writes", description: `${applied.length} applied, ${attempts.length - applied.length} refused with 409` });

    // Every stored split sums to 100, and the object ends as the last applied change left it.
    expect(watchErrors).toEqual([]);
    for (const version of stored) expect(version.sums.every((sum) => sum === 100), `resourceVersion ${version.resourceVersion}: sums ${version.sums}`).toBe(true);
    const last = applied.reduce((latest, attempt) => (Number(attempt.readResourceVersion) > Number(latest.readResourceVersion) ? attempt : latest));
    expect(nonZero(final.body.weights)).toEqual(nonZero(last.weights));
    // No lost update: each applied change is the version stored right after the one it was read at,
    // so two changes read at the same version cannot both have been stored. A change to the split
    // already stored is applied as nothing.
    const versions = [{ resourceVersion: Number(createdState.body.virtualService.resourceVersion), weights: createdState.body.weights as Record<string, number> }, ...stored];
    const writes = applied.filter((attempt) => {
      const read = versions.find((version) => version.resourceVersion === Number(attempt.readResourceVersion));
      expect(read, `version ${attempt.readResourceVersion} was stored`).toBeDefined();
      return !deepEqual(nonZero(read!.weights), nonZero(attempt.weights));
    });
    expect(new Set(writes.map((attempt) => attempt.readResourceVersion)).size).toBe(writes.length);
    expect(writes.length).toBe(stored.length);
    for (const attempt of writes) {
      const at = versions.findIndex((version) => version.resourceVersion === Number(attempt.readResourceVersion));
      expect(nonZero(versions[at + 1]?.weights ?? null), `the change read at ${attempt.readResourceVersion}`).toEqual(nonZero(attempt.weights));
    }
  } finally {
    watch.abort();
    await consoleServer.stop();
  }
});

test("Kubernetes API restarted: a change while it is down fails clearly and is not replayed; lists and watches come back without restarting the console", async () => {
  test.setTimeout(120_000);
  const consoleServer = await startConsole();
  const before = await getJson(`${consoleServer.url}/api/validations?namespaces=bookinfo`);
  expect(before.status).toBe(200);
  const shiftState = await getJson(`${consoleServer.url}${TRAFFIC_SHIFT}`);
  expect(shiftState.status).toBe(200);

  await demo.kubeApi.stop();
  const refused = await getJson(`${consoleServer.url}${TRAFFIC_SHIFT}`, {
    method: "PUT",
    headers: CHANGE_HEADERS,
    body: JSON.stringify({ weights: { v1: 10, v2: 10, v3: 80 }, resourceVersion: shiftState.body.virtualService?.resourceVersion ?? "" }),
  });
  expect(refused.status).toBe(502);
  expect(refused.body.error.message).toContain(`Kubernetes API at ${demo.kubeApi.url} could not be reached`);
  const listWhileDown = await getJson(`${consoleServer.url}/api/istio-config?namespaces=bookinfo`);
  expect(listWhileDown.status).toBe(502);

  // The emulator comes back empty of what happened before and re-seeds, with resourceVersions from the start again.
  await demo.kubeApi.start();
  await expect.poll(async () => (await getJson(`${consoleServer.url}/api/istio-config?namespaces=bookinfo`)).status, { timeout: 20_000 }).toBe(200);

  // A VirtualService created after the restart, routing to a subset nobody defined, must be
  // picked up by the console's watches: its finding appears without restarting the console.
  const created = await getJson(`${demo.kubeApi.url}/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices`, {
    method: "POST",
    headers: { authorization: `Bearer ${demo.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "after-restart", namespace: "bookinfo" },
      spec: { hosts: ["ratings"], http: [{ route: [{ destination: { host: "ratings", subset: "missing-after-restart" } }] }] },
    }),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await expect
    .poll(
      async () => {
        const answer = await getJson(`${consoleServer.url}/api/validations?namespaces=bookinfo`);
        return (answer.body.findings ?? []).some((finding: { object: { name: string }; message: string }) => finding.object.name === "after-restart" && finding.message.includes("missing-after-restart"));
      },
      { timeout: 45_000, intervals: [1_000] },
    )
    .toBe(true);
  const listed = await getJson(`${consoleServer.url}/api/istio-config?namespaces=bookinfo`);
  expect(JSON.stringify(listed.body.objects)).toContain("after-restart");

  // The refused shift was not sent again once the API server came back: reviews has no VirtualService,
  // as in the seed.
  const after = await getJson(`${consoleServer.url}${TRAFFIC_SHIFT}`);
  expect(after.status).toBe(200);
  expect(after.body.virtualService).toBeNull();
  expect(after.body.weights).toBeNull();
  await consoleServer.stop();
});

type Outcome = { kind: "answered"; status: number; afterRestart: boolean } | { kind: "connection error"; message: string } | { kind: "no answer in time"; path: string };

test("console restarted under load: every request is answered or refused, none hangs; readiness waits for warm caches", async () => {
  test.setTimeout(150_000);
  // The console reaches the API server through a proxy that can hold the VirtualService list back,
  // so "caches still loading" lasts as long as the test wants.
  const kubeProxy = await proxy(demo.kubeApi.url);
  const consoleServer = await startConsole({ KUBECONFIG: await demo.kubeconfigVia(kubeProxy.url) });
  await expect.poll(async () => (await getJson(`${consoleServer.url}/api/ready`)).status, { timeout: 30_000 }).toBe(200);

  const CLIENTS = 20;
  const MAX_REQUESTS_PER_CLIENT = 300;
  const CLIENT_TIMEOUT_MS = 20_000;
  const paths = ["/api/health", "/api/validations?namespaces=bookinfo", "/api/graph?namespaces=bookinfo", "/api/istio-config?namespaces=bookinfo"];
  const outcomes: Outcome[] = [];
  let restarted = false;
  let answeredAfterRestart = 0;
  // Set when the test ends early, so the clients stop instead of outliving it.
  let abandoned = false;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const load = Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      // Bounded: stops once the new console has answered enough, and after MAX_REQUESTS_PER_CLIENT whatever happens.
      for (let request = 0; request < MAX_REQUESTS_PER_CLIENT && answeredAfterRestart < 4 * CLIENTS && !abandoned; request++) {
        const path = paths[(client + request) % paths.length]!;
        try {
          const response = await fetch(`${consoleServer.url}${path}`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
          await response.arrayBuffer();
          outcomes.push({ kind: "answered", status: response.status, afterRestart: restarted });
          if (restarted) answeredAfterRestart += 1;
          await pause(50);
        } catch (error) {
          if (error instanceof Error && error.name === "TimeoutError") outcomes.push({ kind: "no answer in time", path });
          else outcomes.push({ kind: "connection error", message: error instanceof Error ? String(error.cause ?? error.message) : String(error) });
          // The console is down: try again a little later rather than spin through the budget.
          await pause(250);
        }
      }
    }),
  );

  try {
    await expect.poll(() => outcomes.length, { timeout: 30_000 }).toBeGreaterThan(100);
    // From now on the VirtualService list is held for 60 s: the restarted console's caches cannot fill.
    kubeProxy.setDelay(60_000, /^(?!.*watch=).*\/virtualservices\b/);
    await consoleServer.stop();
    await consoleServer.start();
    restarted = true;

    const loading = await getJson(`${consoleServer.url}/api/ready`);
    expect(loading.status).toBe(503);
    expect(loading.body.checks.kubernetes.ok).toBe(true);
    expect(loading.body.checks.caches.ok).toBe(false);
    expect(loading.body.checks.caches.detail).toContain("The Kubernetes caches are still loading");
    expect(loading.body.checks.caches.detail).toContain("virtualservices");

    kubeProxy.setDelay(0);
    await expect.poll(async () => (await getJson(`${consoleServer.url}/api/ready`)).status, { timeout: 45_000, intervals: [1_000] }).toBe(200);
    const warm = await getJson(`${consoleServer.url}/api/ready`);
    expect(warm.body.checks.caches.ok).toBe(true);

    await load;
  } finally {
    abandoned = true;
  }
  const hung = outcomes.filter((outcome) => outcome.kind === "no answer in time");
  expect(hung, JSON.stringify(hung.slice(0, 5))).toEqual([]);
  expect(outcomes.filter((outcome) => outcome.kind === "answered" && outcome.afterRestart && outcome.status === 200).length).toBeGreaterThan(0);
  const failures = outcomes.filter((outcome) => outcome.kind === "answered" && outcome.status >= 500 && outcome.status !== 502 && outcome.status !== 503 && outcome.status !== 504);
  expect(failures, JSON.stringify(failures.slice(0, 5))).toEqual([]);
  test.info().annotations.push({
    type: "load",
    description: `${outcomes.length} requests: ${outcomes.filter((outcome) => outcome.kind === "answered").length} answered, ${outcomes.filter((outcome) => outcome.kind === "connection error").length} refused while the console was down`,
  });
  await consoleServer.stop();
});
