/**
 * Two console replicas on one Kubernetes API (an emulator of this test's own, seeded like the demo,
 * so no other console competes for the Lease) and the demo's Prometheus: the replica holding the
 * rollout's Lease is killed mid-rollout, and the other takes over from the stored state, every step
 * applied exactly once, up to promotion.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { startKubeApi, type KubeApi } from "../demo/kube-api";
import { consoleWith, type ExtraConsole } from "./extraConsoles";
import { expect, test } from "./fixtures";

interface Rollout {
  progress: { phase: string; stepIndex: number };
  events: { kind: string; stepIndex: number; message: string }[];
}

async function rolloutAt(api: APIRequestContext): Promise<Rollout | null> {
  return ((await (await api.get("/api/namespaces/storefront/services/catalog/rollout")).json()) as { rollout: Rollout | null }).rollout;
}

/** The Lease's holder, read from the API server as `kubectl get lease` would. */
async function leaseHolder(kubeApi: KubeApi): Promise<string | undefined> {
  const response = await fetch(`${kubeApi.url}/apis/coordination.k8s.io/v1/namespaces/storefront/leases/mesh-console-rollout-catalog`, { headers: { authorization: `Bearer ${kubeApi.tokens.admin}` } });
  if (response.status === 404) return undefined;
  return ((await response.json()) as { spec?: { holderIdentity?: string } }).spec?.holderIdentity;
}

test.describe("a rollout survives the loss of its driving replica", () => {
  let dir: string;
  let kubeApi: KubeApi;
  const consoles: ExtraConsole[] = [];

  test.beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-rollout-e2e-"));
    kubeApi = await startKubeApi({ seed: [path.resolve(import.meta.dirname, "..", "demo", "manifests")], kubeconfigPath: path.join(dir, "kubeconfig") });
  });

  test.afterAll(async () => {
    for (const console of consoles) await console.stop();
    await kubeApi?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("the other replica continues from the stored step without repeating or skipping one", async () => {
    test.setTimeout(240_000);
    const env = { KUBECONFIG: kubeApi.kubeconfigPath ?? "" };
    const first = await consoleWith(env);
    consoles.push(first);
    const firstApi = await playwrightRequest.newContext({ baseURL: first.url });
    // The emulator's storefront split (80/20) is the demo's, and so is the traffic Prometheus measures.
    const plan = { steps: [20, 40, 60, 100], stepSeconds: 10, intervalSeconds: 5, failureLimit: 3, gates: { minSuccessRate: 0.95, maxP95Ms: null, maxP99Ms: null, maxP95IncreaseOverStable: null, minRequestsPerCheck: 5 } };
    const started = await firstApi.post("/api/namespaces/storefront/services/catalog/rollout", { headers: { "x-mesh-console": "1" }, data: { stable: "v1", canary: "v2", plan } });
    expect(started.status(), await started.text()).toBe(201);

    // The only replica takes the Lease and advances once.
    await expect.poll(async () => (await rolloutAt(firstApi))?.progress.stepIndex, { timeout: 60_000, message: "the first replica advances to step 2" }).toBeGreaterThanOrEqual(1);
    const firstHolder = await leaseHolder(kubeApi);
    expect(firstHolder).toBeTruthy();

    const second = await consoleWith(env);
    consoles.push(second);
    const secondApi = await playwrightRequest.newContext({ baseURL: second.url });
    // While the first renews, the second stays a follower.
    expect(await leaseHolder(kubeApi)).toBe(firstHolder);

    const stepWhenKilled = (await rolloutAt(secondApi))!.progress.stepIndex;
    expect(stepWhenKilled).toBeLessThan(3);
    await first.stop();
    await firstApi.dispose();

    await expect.poll(async () => (await rolloutAt(secondApi))?.progress.phase, { timeout: 120_000, message: "the second replica promotes" }).toBe("promoted");
    const holder = await leaseHolder(kubeApi);
    expect(holder).toBeTruthy();
    expect(holder).not.toBe(firstHolder);

    const rollout = (await rolloutAt(secondApi))!;
    const kinds = rollout.events.map((event) => event.kind);
    expect(kinds).toContain("took-over");
    // Each step reached once, in order: advanced to steps 2 and 3, then promoted at step 4.
    const moves = rollout.events.filter((event) => event.kind === "advanced" || event.kind === "promoted").map((event) => event.stepIndex);
    expect(moves).toEqual([1, 2, 3]);
    const takeOver = rollout.events.find((event) => event.kind === "took-over")!;
    expect(takeOver.message).toContain(firstHolder!);
    expect(takeOver.stepIndex).toBeGreaterThanOrEqual(stepWhenKilled);
    await secondApi.dispose();
  });
});
