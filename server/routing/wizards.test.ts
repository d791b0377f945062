import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { refusal } from "@/server/http/testRefusal";
import type { KubeClients } from "@/server/kube";
import { ConfigWriteError } from "@/server/kube/writes";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { DESTINATION_RULE, VIRTUAL_SERVICE } from "./istioObjects";
import { routingState } from "./state";
import { applyCircuitBreaking, applyTrafficShift, removeConsoleRouting, rollbackRouting, type RoutingDeps } from "./wizards";

const REVIEWS = { namespace: "bookinfo", service: "reviews" };
const RATINGS = { namespace: "bookinfo", service: "ratings" };

let api: KubeApi;
let admin: KubeClients;
let deps: RoutingDeps;
/** Real (not dry-run) writes the emulator served, in order: "PUT destinationrules/reviews 200". */
let writes: string[] = [];
let seededReviewsRule: Record<string, unknown>;

async function read(kind: typeof VIRTUAL_SERVICE | typeof DESTINATION_RULE, name: string, namespace = "bookinfo"): Promise<{ metadata: { resourceVersion: string; annotations?: Record<string, string> }; spec: Record<string, unknown> } | undefined> {
  try {
    return (await admin.custom.getNamespacedCustomObject({ ...kind, namespace, name })) as never;
  } catch {
    return undefined;
  }
}

async function deleteIfThere(kind: typeof VIRTUAL_SERVICE | typeof DESTINATION_RULE, name: string): Promise<void> {
  if (await read(kind, name)) await admin.custom.deleteNamespacedCustomObject({ ...kind, namespace: "bookinfo", name });
}

beforeAll(async () => {
  api = await startKubeApi({
    seed: [DEMO_MANIFESTS],
    onRequest: (method, url, status) => {
      const path = new URL(url, "http://x").pathname;
      if (method !== "GET" && !url.includes("dryRun") && /\/(virtualservices|destinationrules)/.test(path)) writes.push(`${method} ${path.split("/").slice(-2).join("/")} ${status}`);
    },
  });
  admin = clientsFor(api.url, api.tokens.admin);
  deps = { clients: admin, viewOnly: false, now: () => new Date("2025-03-01T10:00:00Z") };
  const seeded = (await read(DESTINATION_RULE, "reviews"))!;
  seededReviewsRule = { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "reviews", namespace: "bookinfo" }, spec: seeded.spec };
});

afterAll(async () => {
  await api?.close();
});

beforeEach(async () => {
  await deleteIfThere(VIRTUAL_SERVICE, "reviews");
  await deleteIfThere(DESTINATION_RULE, "reviews");
  await admin.custom.createNamespacedCustomObject({ ...DESTINATION_RULE, namespace: "bookinfo", body: seededReviewsRule });
  writes = [];
});

describe("opening the traffic-shifting wizard", () => {
  it("lists reviews' versions as subsets, no split yet, and write access", async () => {
    const state = await routingState(deps, REVIEWS);
    expect(state.subsets).toEqual([
      { name: "v1", inDestinationRule: true, workloads: ["reviews-v1"] },
      { name: "v2", inDestinationRule: true, workloads: ["reviews-v2"] },
      { name: "v3", inDestinationRule: true, workloads: ["reviews-v3"] },
    ]);
    expect(state.weights).toBeNull();
    expect(state.virtualService).toBeNull();
    expect(state.destinationRule).toMatchObject({ name: "reviews", createdByConsole: false });
    expect(state.canWrite).toBe(true);
  });

  it("answers 404 for a service that does not exist", async () => {
    expect((await refusal(routingState(deps, { namespace: "bookinfo", service: "nope" }))).status).toBe(404);
  });
});

describe("applying a traffic shift", () => {
  it("stores 80/20 and reads it back with a history entry", async () => {
    const result = await applyTrafficShift(deps, REVIEWS, { weights: { v1: 80, v2: 20, v3: 0 }, resourceVersion: "" });
    expect(result.changes.map((change) => `${change.kind} ${change.action}`)).toEqual(["VirtualService create"]);
    expect(writes).toEqual(["POST bookinfo/virtualservices 201"]);
    const state = await routingState(deps, REVIEWS);
    expect(state.weights).toEqual({ v1: 80, v2: 20 });
    expect(state.history).toEqual([{ at: "2025-03-01T10:00:00.000Z", by: "mesh-console", wizard: "traffic-shift", from: null, to: { v1: 80, v2: 20 } }]);
  });

  it("previews with a dry run: the diff comes back and nothing is stored", async () => {
    const result = await applyTrafficShift(deps, REVIEWS, { weights: { v1: 80, v2: 20 }, dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.changes[0]!.after).toContain("weight: 20");
    expect(writes).toEqual([]);
    expect(await read(VIRTUAL_SERVICE, "reviews")).toBeUndefined();
  });

  it.each([
    [{ v1: 80, v2: 30 }, "must add up to 100, they add up to 110"],
    [{ v1: 79.5, v2: 20.5 }, "must be an integer from 0 to 100"],
    [{ v1: 150, v2: -50 }, "must be an integer from 0 to 100"],
    [{ v1: 80, v9: 20 }, "weights.v9: unknown subset"],
  ])("refuses weights %j with 422 and the reason, writing nothing", async (weights, reason) => {
    const answer = await refusal(applyTrafficShift(deps, REVIEWS, { weights }));
    expect(answer.status).toBe(422);
    expect(answer.message).toContain(reason);
    expect(writes).toEqual([]);
  });

  it("refuses an unknown service with 422", async () => {
    const answer = await refusal(applyTrafficShift(deps, { namespace: "bookinfo", service: "nope" }, { weights: { v1: 100 } }));
    expect(answer).toEqual({ status: 422, message: "Service bookinfo/nope does not exist; check the namespace and service name" });
  });

  it("answers 409 and writes nothing when someone changed the VirtualService since it was opened", async () => {
    await applyTrafficShift(deps, REVIEWS, { weights: { v1: 100 } });
    const opened = await routingState(deps, REVIEWS);
    await applyTrafficShift(deps, REVIEWS, { weights: { v1: 50, v3: 50 } });
    writes = [];
    const answer = await refusal(applyTrafficShift(deps, REVIEWS, { weights: { v1: 80, v2: 20 }, resourceVersion: opened.virtualService!.resourceVersion }));
    expect(answer.status).toBe(409);
    expect(answer.message).toBe("VirtualService bookinfo/reviews was changed by someone else since you opened it; reload to see the new version");
    expect(writes).toEqual([]);
    expect((await routingState(deps, REVIEWS)).weights).toEqual({ v1: 50, v3: 50 });
  });

  it("turns the API server's own 409 (a write racing ours) into the same message", async () => {
    await applyTrafficShift(deps, REVIEWS, { weights: { v1: 100 } });
    api.failNextWrite({ resource: "virtualservices", verb: "update", status: 409, skip: 1 });
    const answer = await refusal(applyTrafficShift(deps, REVIEWS, { weights: { v1: 80, v2: 20 } }));
    expect(answer.status).toBe(409);
    expect(answer.message).toContain("changed by someone else since you opened it");
    expect((await routingState(deps, REVIEWS)).weights).toEqual({ v1: 100 });
  });
});

describe("writing the DestinationRule and the VirtualService together", () => {
  it("adds a missing subset to the DestinationRule before the VirtualService routes to it", async () => {
    const dr = (await read(DESTINATION_RULE, "reviews"))!;
    const withoutV3 = { ...dr, spec: { ...dr.spec, subsets: (dr.spec.subsets as { name: string }[]).filter((subset) => subset.name !== "v3") } };
    await admin.custom.replaceNamespacedCustomObject({ ...DESTINATION_RULE, namespace: "bookinfo", name: "reviews", body: withoutV3 });
    writes = [];

    await applyTrafficShift(deps, REVIEWS, { weights: { v1: 90, v3: 10 } });
    expect(writes).toEqual(["PUT destinationrules/reviews 200", "POST bookinfo/virtualservices 201"]);
    const stored = (await read(DESTINATION_RULE, "reviews"))!;
    expect((stored.spec.subsets as { name: string }[]).map((subset) => subset.name)).toEqual(["v1", "v2", "v3"]);
    expect(stored.metadata.annotations?.["mesh-console.io/created-subsets"]).toBe("v3");
  });

  it("restores the DestinationRule when the VirtualService write fails", async () => {
    const dr = (await read(DESTINATION_RULE, "reviews"))!;
    const withoutV3 = { ...dr, spec: { ...dr.spec, subsets: (dr.spec.subsets as { name: string }[]).filter((subset) => subset.name !== "v3") }, metadata: { ...dr.metadata, annotations: {} } };
    await admin.custom.replaceNamespacedCustomObject({ ...DESTINATION_RULE, namespace: "bookinfo", name: "reviews", body: withoutV3 });
    writes = [];
    // The first VirtualService create is the dry run; the second is the real write.
    api.failNextWrite({ resource: "virtualservices", verb: "create", status: 500, skip: 1 });

    const answer = await refusal(applyTrafficShift(deps, REVIEWS, { weights: { v1: 90, v3: 10 } }));
    expect(answer.status).toBe(500);
    expect(answer.message).toContain("the DestinationRule reviews change made before it was undone, so nothing changed");
    expect(writes).toEqual(["PUT destinationrules/reviews 200", "POST bookinfo/virtualservices 500", "PUT destinationrules/reviews 200"]);
    const restored = (await read(DESTINATION_RULE, "reviews"))!;
    expect((restored.spec.subsets as { name: string }[]).map((subset) => subset.name)).toEqual(["v1", "v2"]);
    expect(await read(VIRTUAL_SERVICE, "reviews")).toBeUndefined();
  });

  it("deletes the DestinationRule it created when the VirtualService write fails", async () => {
    await deleteIfThere(VIRTUAL_SERVICE, "ratings");
    await deleteIfThere(DESTINATION_RULE, "ratings");
    writes = [];
    api.failNextWrite({ resource: "virtualservices", verb: "create", status: 503, skip: 1 });

    expect((await refusal(applyTrafficShift(deps, RATINGS, { weights: { v1: 100 } }))).status).toBe(503);
    expect(writes).toEqual(["POST bookinfo/destinationrules 201", "POST bookinfo/virtualservices 503", "DELETE destinationrules/ratings 200"]);
    expect(await read(DESTINATION_RULE, "ratings")).toBeUndefined();
  });

  it("removes routing VirtualService first, then the subsets and DestinationRule it created", async () => {
    await deleteIfThere(VIRTUAL_SERVICE, "ratings");
    await deleteIfThere(DESTINATION_RULE, "ratings");
    await applyTrafficShift(deps, RATINGS, { weights: { v1: 100 } });
    writes = [];
    await removeConsoleRouting(deps, RATINGS, {});
    expect(writes).toEqual(["DELETE virtualservices/ratings 200", "DELETE destinationrules/ratings 200"]);
  });

  it("circuit breaking changes only the DestinationRule's traffic policy", async () => {
    await applyCircuitBreaking(deps, REVIEWS, { outlierDetection: { consecutive5xxErrors: 3, interval: "5s", baseEjectionTime: "30s", maxEjectionPercent: 50 } });
    const stored = (await read(DESTINATION_RULE, "reviews"))!;
    expect(stored.spec.trafficPolicy).toEqual({ outlierDetection: { consecutive5xxErrors: 3, interval: "5s", baseEjectionTime: "30s", maxEjectionPercent: 50 } });
    expect(stored.spec.subsets).toHaveLength(3);
    await removeConsoleRouting(deps, REVIEWS, {});
    expect((await read(DESTINATION_RULE, "reviews"))!.spec.trafficPolicy).toBeUndefined();
  });
});

describe("rollback", () => {
  it("restores the weights before the last change in one step, and can go forward again", async () => {
    await applyTrafficShift(deps, REVIEWS, { weights: { v1: 100 } });
    await applyTrafficShift(deps, REVIEWS, { weights: { v1: 80, v2: 20 } });
    await rollbackRouting(deps, REVIEWS, {});
    const state = await routingState(deps, REVIEWS);
    expect(state.weights).toEqual({ v1: 100 });
    expect(state.history.map((entry) => `${entry.wizard}: ${JSON.stringify(entry.from)} → ${JSON.stringify(entry.to)}`)).toEqual([
      'traffic-shift: null → {"v1":100}',
      'traffic-shift: {"v1":100} → {"v1":80,"v2":20}',
      'rollback: {"v1":80,"v2":20} → {"v1":100}',
    ]);
    await rollbackRouting(deps, REVIEWS, {});
    expect((await routingState(deps, REVIEWS)).weights).toEqual({ v1: 80, v2: 20 });
  });

  it("deletes the VirtualService when the console created it with the change rolled back", async () => {
    await applyTrafficShift(deps, REVIEWS, { weights: { v1: 80, v2: 20 } });
    await rollbackRouting(deps, REVIEWS, {});
    expect(await read(VIRTUAL_SERVICE, "reviews")).toBeUndefined();
  });

  it("says there is nothing to roll back when there is no history", async () => {
    expect(await refusal(rollbackRouting(deps, REVIEWS, {}))).toEqual({ status: 409, message: "Nothing to roll back: reviews has no VirtualService" });
  });
});

describe("who may change routing", () => {
  it("shows the viewer account's 403 as a reason and refuses its writes", async () => {
    const viewer = { clients: clientsFor(api.url, api.tokens.viewer), viewOnly: false };
    const state = await routingState(viewer, REVIEWS);
    expect(state.canWrite).toBe(false);
    expect(state.reason).toMatch(/^Your account may not change VirtualServices in bookinfo/);
    const answer = await refusal(applyTrafficShift(viewer, REVIEWS, { weights: { v1: 80, v2: 20 } }));
    expect(answer.status).toBe(403);
    expect(answer.message).toMatch(/^Your account may not change virtualservices(\.networking\.istio\.io)? in bookinfo/i);
    expect(writes).toEqual([]);
  });

  it("refuses every change in view-only mode and says so when the wizard opens", async () => {
    const viewOnly = { ...deps, viewOnly: true };
    expect((await routingState(viewOnly, REVIEWS)).reason).toContain("view-only mode");
    await expect(applyTrafficShift(viewOnly, REVIEWS, { weights: { v1: 100 } })).rejects.toBeInstanceOf(ConfigWriteError);
    await expect(rollbackRouting(viewOnly, REVIEWS, {})).rejects.toMatchObject({ status: 403, reason: "view-only" });
    expect(writes).toEqual([]);
  });
});
