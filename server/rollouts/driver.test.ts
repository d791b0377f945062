/**
 * The driver against the Kubernetes API emulator seeded with the demo (the storefront's HTTPRoute
 * `catalog`, 80/20 over catalog-v1/catalog-v2), with Prometheus answering the canary analysis'
 * own queries from a table (the browser tests read a real Prometheus fed by the simulator).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { newRolloutRecord, type RolloutRecord } from "@/lib/rollouts/record";
import type { RolloutPlan } from "@/lib/rollouts/plan";
import type { KubeClients } from "@/server/kube";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";
import type { PrometheusClient, VectorSample } from "@/server/prometheus";
import { canaryQueries } from "@/server/routing/canaryAnalysis";
import { HTTP_ROUTE, type HttpRouteObject } from "@/server/routing/httpRouteObjects";
import { applyTrafficShift, type RoutingDeps } from "@/server/routing/wizards";
import { RAW_METRICS } from "@/server/telemetry";
import { driveRollout, settleWeights, type DriverDeps } from "./driver";
import { holdLease } from "./lease";
import { readRouteFacts } from "./route";
import { createRollout, deleteRollout, readRollout, type StoredRollout } from "./store";

const CATALOG = { namespace: "storefront", service: "catalog" };
const T0 = Date.parse("2026-12-07T10:00:00Z");
const plan: RolloutPlan = {
  steps: [30, 60, 100],
  stepSeconds: 10,
  intervalSeconds: 5,
  gates: { minSuccessRate: 0.95, maxP95Ms: null, maxP99Ms: null, maxP95IncreaseOverStable: null, minRequestsPerCheck: 20 },
  failureLimit: 2,
};

interface Figures {
  rate: number;
  errorShare: number;
}

/** Answers the canary analysis' four queries for a service's versions (catalog's by default), from `figures`. */
function prometheusWith(figures: Record<string, Figures>, ref: { namespace: string; service: string } = CATALOG, backends = ["catalog-v1", "catalog-v2"]): PrometheusClient {
  const sample = (version: string, value: number): VectorSample => ({ metric: { destination_canonical_revision: version }, value: [T0 / 1000, String(value)] }) as VectorSample;
  const answer = (pick: (f: Figures) => number) => Object.entries(figures).map(([version, f]) => sample(version, pick(f)));
  return {
    baseUrl: "http://prometheus.test",
    instant: async (query) => {
      for (const window of [10, 11, 15]) {
        const queries = canaryQueries(ref, window, RAW_METRICS, backends);
        if (query === queries.requests) return answer((f) => f.rate);
        if (query === queries.errors) return answer((f) => f.rate * f.errorShare);
        if (query === queries.p95 || query === queries.p99) return answer(() => 12);
      }
      throw new Error(`unexpected query ${query}`);
    },
    range: async () => [],
    queryData: async () => ({ resultType: "vector", result: [] }) as never,
  };
}

let api: KubeApi;
let admin: KubeClients;
let seededRoute: HttpRouteObject;
let clock = T0;

function deps(prometheus: PrometheusClient, notified: string[] = []): DriverDeps {
  const routing: RoutingDeps = { clients: admin, viewOnly: false, by: "rollout autopilot" };
  return { clients: admin, routing, prometheus, metricNames: async () => RAW_METRICS, now: () => clock, notify: (_record, events) => notified.push(...events.map((event) => event.kind)) };
}

const healthy = prometheusWith({ v1: { rate: 10, errorShare: 0 }, v2: { rate: 10, errorShare: 0.01 } });
const failing = prometheusWith({ v1: { rate: 10, errorShare: 0 }, v2: { rate: 10, errorShare: 0.4 } });

async function weights() {
  return (await readRouteFacts({ clients: admin, viewOnly: false }, CATALOG)).weights;
}

/** A rollout of catalog v1 → v2 as a person starts it: the record, then its first weights. */
async function started(): Promise<StoredRollout> {
  const record = newRolloutRecord({ ...CATALOG, api: "gateway-api", route: { kind: "HTTPRoute", name: "catalog" }, stable: "v1", canary: "v2", startWeights: { v1: 80, v2: 20 }, plan, by: "alice", now: clock });
  const created = await createRollout(admin, record);
  return (await settleWeights(deps(healthy), created))!;
}

async function stored(ref = CATALOG): Promise<StoredRollout> {
  return (await readRollout(admin, ref.namespace, ref.service))!;
}

function kinds(record: RolloutRecord): string[] {
  return record.events.map((event) => event.kind);
}

beforeAll(async () => {
  api = await startKubeApi({ seed: [DEMO_MANIFESTS] });
  admin = clientsFor(api.url, api.tokens.admin);
  const seeded = (await admin.custom.getNamespacedCustomObject({ ...HTTP_ROUTE, ...CATALOG, name: "catalog" })) as HttpRouteObject;
  seededRoute = { apiVersion: seeded.apiVersion, kind: "HTTPRoute", metadata: { name: "catalog", namespace: "storefront" }, spec: seeded.spec };
});

afterAll(async () => {
  await api?.close();
});

beforeEach(async () => {
  clock = T0;
  const existing = await readRollout(admin, CATALOG.namespace, CATALOG.service);
  if (existing) await deleteRollout(admin, CATALOG.namespace, CATALOG.service, existing.resourceVersion);
  await admin.custom.deleteNamespacedCustomObject({ ...HTTP_ROUTE, ...CATALOG, name: "catalog" });
  await admin.custom.createNamespacedCustomObject({ ...HTTP_ROUTE, namespace: "storefront", body: seededRoute });
});

describe("the rollout driver", () => {
  it("writes the first step, then advances and promotes a healthy canary step by step", async () => {
    let current = await started();
    expect(await weights()).toEqual({ v1: 70, v2: 30 });
    expect(current.record.weightsPending).toBe(false);

    clock = T0 + 5_000;
    await driveRollout(deps(healthy), current);
    current = await stored();
    expect(current.record.events.at(-1)?.message).toMatch(/held 5 of 10 s/);
    expect(await weights()).toEqual({ v1: 70, v2: 30 });

    clock = T0 + 11_000;
    await driveRollout(deps(healthy), current);
    current = await stored();
    expect(current.record.progress.stepIndex).toBe(1);
    expect(await weights()).toEqual({ v1: 40, v2: 60 });

    clock = T0 + 22_000;
    const notified: string[] = [];
    await driveRollout(deps(healthy, notified), current);
    current = await stored();
    expect(current.record.progress.phase).toBe("promoted");
    expect(await weights()).toEqual({ v1: 0, v2: 100 });
    expect(notified).toEqual(["promoted"]);
    expect(kinds(current.record)).toEqual(["started", "check", "advanced", "promoted"]);
  });

  it("counts failed checks and, at the limit, aborts back to the weights it started from", async () => {
    let current = await started();
    clock = T0 + 5_000;
    await driveRollout(deps(failing), current);
    current = await stored();
    expect(current.record.progress.failedChecks).toBe(1);
    expect(current.record.events.at(-1)?.message).toMatch(/success rate 60.00 % below 95.00 %/);

    clock = T0 + 10_000;
    await driveRollout(deps(failing), current);
    current = await stored();
    expect(current.record.progress.phase).toBe("aborted");
    expect(await weights()).toEqual({ v1: 80, v2: 20 });
  });

  it("pauses, and says so, when someone else changes the route", async () => {
    const current = await started();
    await applyTrafficShift({ clients: admin, viewOnly: false, by: "bob" }, CATALOG, { weights: { v1: 50, v2: 50 } });
    clock = T0 + 11_000;
    await driveRollout(deps(healthy), current);
    const after = await stored();
    expect(after.record.progress.phase).toBe("paused");
    expect(after.record.events.at(-1)?.message).toMatch(/HTTPRoute catalog was changed outside the rollout/);
    expect(await weights()).toEqual({ v1: 50, v2: 50 });
  });

  it("never applies a step twice: a second driver with the same stale record writes nothing", async () => {
    const current = await started();
    clock = T0 + 11_000;
    await driveRollout(deps(healthy), current);
    expect(await weights()).toEqual({ v1: 40, v2: 60 });
    clock = T0 + 12_000;
    expect(await driveRollout(deps(healthy), current)).toBeUndefined();
    const after = await stored();
    expect(after.record.progress.stepIndex).toBe(1);
    expect(kinds(after.record).filter((kind) => kind === "advanced")).toHaveLength(1);
    expect(await weights()).toEqual({ v1: 40, v2: 60 });
  });

  it("finishes a decision whose weights a lost replica claimed but never wrote, without deciding again", async () => {
    const current = await started();
    const { updateRollout } = await import("./store");
    const claimed = await updateRollout(admin, { ...current.record, progress: { ...current.record.progress, stepIndex: 1, stepStartedAt: T0 + 11_000 }, weightsPending: true, lastCheckAt: T0 + 11_000 }, current.resourceVersion);
    clock = T0 + 30_000;
    await driveRollout(deps(healthy), claimed);
    const after = await stored();
    expect(await weights()).toEqual({ v1: 40, v2: 60 });
    expect(after.record.progress.stepIndex).toBe(1);
    expect(after.record.weightsPending).toBe(false);
    expect(after.record.events).toEqual(claimed.record.events);
  });
});

describe("a rollout on a VirtualService", () => {
  const REVIEWS = { namespace: "bookinfo", service: "reviews" };
  const routing = () => ({ clients: admin, viewOnly: false }) as RoutingDeps;

  afterAll(async () => {
    const existing = await readRollout(admin, REVIEWS.namespace, REVIEWS.service);
    if (existing) await deleteRollout(admin, REVIEWS.namespace, REVIEWS.service, existing.resourceVersion);
  });

  it("creates the split by subsets, advances it, and on abort writes back what it started from", async () => {
    const before = await readRouteFacts(routing(), REVIEWS);
    expect(before.api).toBe("virtualservice");
    const startWeights = before.weights ?? { v1: 100 };
    const record = newRolloutRecord({ ...REVIEWS, api: "virtualservice", route: { kind: "VirtualService", name: "reviews" }, stable: "v1", canary: "v3", startWeights, plan, by: "alice", now: clock });
    let current = (await settleWeights(deps(healthy), await createRollout(admin, record)))!;
    expect((await readRouteFacts(routing(), REVIEWS)).weights).toEqual({ v1: 70, v3: 30 });

    const reviewsHealthy = prometheusWith({ v1: { rate: 10, errorShare: 0 }, v3: { rate: 10, errorShare: 0 } }, REVIEWS, []);
    clock = T0 + 11_000;
    current = (await driveRollout(deps(reviewsHealthy), current))!;
    expect((await readRouteFacts(routing(), REVIEWS)).weights).toEqual({ v1: 40, v3: 60 });

    const reviewsFailing = prometheusWith({ v1: { rate: 10, errorShare: 0 }, v3: { rate: 10, errorShare: 0.5 } }, REVIEWS, []);
    clock = T0 + 16_000;
    current = (await driveRollout(deps(reviewsFailing), current))!;
    clock = T0 + 21_000;
    await driveRollout(deps(reviewsFailing), current);
    expect((await stored(REVIEWS)).record.progress.phase).toBe("aborted");
    expect((await readRouteFacts(routing(), REVIEWS)).weights).toEqual(startWeights);
  });
});

describe("the rollout's Lease", () => {
  const target = (holder: string) => ({ namespace: "storefront", name: "mesh-console-rollout-lease-test", holder, durationSeconds: 15 });

  it("goes to one replica, and to another only once the holder stops renewing", async () => {
    const start = new Date(T0);
    expect(await holdLease(admin, target("console-a"), start)).toEqual({ held: true });
    expect(await holdLease(admin, target("console-b"), new Date(T0 + 5_000))).toEqual({ held: false });
    expect(await holdLease(admin, target("console-a"), new Date(T0 + 10_000))).toEqual({ held: true });
    expect(await holdLease(admin, target("console-b"), new Date(T0 + 24_000))).toEqual({ held: false });
    expect(await holdLease(admin, target("console-b"), new Date(T0 + 26_000))).toEqual({ held: true, tookOverFrom: "console-a" });
    expect(await holdLease(admin, target("console-a"), new Date(T0 + 27_000))).toEqual({ held: false });
  });
});
