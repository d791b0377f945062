import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { refusal } from "@/server/http/testRefusal";
import type { KubeClients } from "@/server/kube";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { HTTP_ROUTE, type HttpRouteObject } from "./httpRouteObjects";
import { routingState } from "./state";
import { applyFaultInjection, applyMirroring, applyRequestRouting, applyTimeouts, applyTrafficShift, removeConsoleRouting, rollbackRouting, type RoutingDeps } from "./wizards";

/** The demo's HTTPRoute catalog as seeded, put back before each test. */
let seededRoute: HttpRouteObject;
/** Real (not dry-run) writes of routes and Services, in order: "PUT httproutes/catalog 200". */
let writes: string[] = [];
let api: KubeApi;
let admin: KubeClients;
let deps: RoutingDeps;

const CATALOG = { namespace: "storefront", service: "catalog" };
const WEB = { namespace: "storefront", service: "web" };

async function readRoute(name = "catalog"): Promise<HttpRouteObject | undefined> {
  try {
    return (await admin.custom.getNamespacedCustomObject({ ...HTTP_ROUTE, namespace: "storefront", name })) as HttpRouteObject;
  } catch {
    return undefined;
  }
}

async function serviceNames(): Promise<string[]> {
  return (await admin.core.listNamespacedService({ namespace: "storefront" })).items.map((service) => service.metadata!.name!).sort();
}

async function deploy(name: string, app: string, version: string): Promise<void> {
  const labels = { app, version };
  await admin.apps.createNamespacedDeployment({
    namespace: "storefront",
    body: { metadata: { name, namespace: "storefront", labels }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: app, image: `example/${app}:1` }] } } } },
  });
}

beforeAll(async () => {
  api = await startKubeApi({
    seed: [DEMO_MANIFESTS],
    onRequest: (method, url, status) => {
      const path = new URL(url, "http://x").pathname;
      if (method !== "GET" && !url.includes("dryRun") && /\/(httproutes|services|virtualservices|destinationrules)(\/|$)/.test(path)) writes.push(`${method} ${path.split("/").slice(-2).join("/")} ${status}`);
    },
  });
  admin = clientsFor(api.url, api.tokens.admin);
  deps = { clients: admin, viewOnly: false, now: () => new Date("2026-03-01T10:00:00Z") };
  const seeded = (await readRoute())!;
  seededRoute = { apiVersion: seeded.apiVersion, kind: "HTTPRoute", metadata: { name: "catalog", namespace: "storefront", ...(seeded.metadata.labels ? { labels: seeded.metadata.labels } : {}) }, spec: seeded.spec };
});

afterAll(async () => {
  await api?.close();
});

beforeEach(async () => {
  if (await readRoute()) await admin.custom.deleteNamespacedCustomObject({ ...HTTP_ROUTE, namespace: "storefront", name: "catalog" });
  await admin.custom.createNamespacedCustomObject({ ...HTTP_ROUTE, namespace: "storefront", body: seededRoute });
  writes = [];
});

describe("a service routed by a mesh HTTPRoute", () => {
  it("opens with the route's 80/20 split over the version Services", async () => {
    const state = await routingState(deps, CATALOG);
    expect(state.api).toBe("gateway-api");
    expect(state.apiChoosable).toBe(false);
    expect(state.httpRoute?.name).toBe("catalog");
    expect(state.weights).toEqual({ v1: 80, v2: 20 });
    expect(state.subsets.map((subset) => [subset.name, subset.versionService])).toEqual([
      ["v1", "catalog-v1"],
      ["v2", "catalog-v2"],
    ]);
    expect(state.canWrite).toBe(true);
  });

  it("previews 50/50 with a dry run, then writes the weights, keeps the rest and rolls back", async () => {
    const opened = await routingState(deps, CATALOG);
    const preview = await applyTrafficShift(deps, CATALOG, { weights: { v1: 50, v2: 50 }, resourceVersion: opened.httpRoute!.resourceVersion, dryRun: true });
    expect(preview.changes.map((change) => [change.kind, change.action])).toEqual([["HTTPRoute", "replace"]]);
    expect(writes).toEqual([]);

    const before = (await readRoute())!;
    const result = await applyTrafficShift(deps, CATALOG, { weights: { v1: 50, v2: 50 }, resourceVersion: opened.httpRoute!.resourceVersion });
    expect(result.weights).toEqual({ v1: 50, v2: 50 });
    const after = (await readRoute())!;
    expect(after.spec.parentRefs).toEqual(before.spec.parentRefs);
    expect(after.spec.rules!.at(-1)!.backendRefs!.map((backend) => [backend.name, backend.port, backend.weight])).toEqual([
      ["catalog-v1", 8080, 50],
      ["catalog-v2", 8080, 50],
    ]);
    const state = await routingState(deps, CATALOG);
    expect(state.history).toEqual([{ at: "2026-03-01T10:00:00.000Z", by: "mesh-console", wizard: "traffic-shift", from: { v1: 80, v2: 20 }, to: { v1: 50, v2: 50 } }]);
    expect(state.rollbackAvailable).toBe(true);

    await rollbackRouting(deps, CATALOG, { resourceVersion: state.httpRoute!.resourceVersion });
    expect((await routingState(deps, CATALOG)).weights).toEqual({ v1: 80, v2: 20 });
  });

  it("does not take istiod's status write for someone else's change: only a new generation is one", async () => {
    const opened = await routingState(deps, CATALOG);
    const route = (await readRoute())!;
    // What istiod does after every change: the status subresource moves the resourceVersion, not the generation.
    await admin.custom.replaceNamespacedCustomObjectStatus({ ...HTTP_ROUTE, namespace: "storefront", name: "catalog", body: { ...route, status: { parents: [] } } });
    const result = await applyTrafficShift(deps, CATALOG, { weights: { v1: 60, v2: 40 }, resourceVersion: opened.httpRoute!.resourceVersion, generation: opened.httpRoute!.generation! });
    expect(result.weights).toEqual({ v1: 60, v2: 40 });
    const answer = await refusal(applyTrafficShift(deps, CATALOG, { weights: { v1: 50, v2: 50 }, resourceVersion: opened.httpRoute!.resourceVersion, generation: opened.httpRoute!.generation! }));
    expect(answer.status).toBe(409);
  });

  it("answers 409 and writes nothing when the route changed since it was opened", async () => {
    const answer = await refusal(applyTrafficShift(deps, CATALOG, { weights: { v1: 50, v2: 50 }, resourceVersion: "1" }));
    expect(answer.status).toBe(409);
    expect(answer.message).toMatch(/^HTTPRoute storefront\/catalog was changed by someone else since you opened it/);
    expect(writes).toEqual([]);
  });

  it("creates the Service of a new version before the route names it, then removes what it created", async () => {
    await deploy("catalog-v3", "catalog", "v3");
    const result = await applyTrafficShift(deps, CATALOG, { weights: { v1: 80, v2: 10, v3: 10 } });
    expect(result.changes.map((change) => [change.kind, change.name, change.action])).toEqual([
      ["Service", "catalog-v3", "create"],
      ["HTTPRoute", "catalog", "replace"],
    ]);
    expect(writes).toEqual(["POST storefront/services 201", "PUT httproutes/catalog 200"]);
    const created = await admin.core.readNamespacedService({ namespace: "storefront", name: "catalog-v3" });
    expect(created.spec?.selector).toEqual({ app: "catalog", version: "v3" });
    expect(created.spec?.ports?.map((port) => [port.name, port.port])).toEqual([["http", 8080]]);

    writes = [];
    await rollbackRouting(deps, CATALOG, {});
    expect(writes).toEqual(["PUT httproutes/catalog 200", "DELETE services/catalog-v3 200"]);
    expect(await serviceNames()).not.toContain("catalog-v3");
    await admin.apps.deleteNamespacedDeployment({ namespace: "storefront", name: "catalog-v3" });
  });

  it("deletes the version Service it created when the route write fails, so nothing is half-applied", async () => {
    await deploy("catalog-v4", "catalog", "v4");
    api.failNextWrite({ resource: "httproutes", verb: "update", status: 500, skip: 1 });
    const answer = await refusal(applyTrafficShift(deps, CATALOG, { weights: { v1: 50, v4: 50 } }));
    expect(answer.status).toBe(500);
    expect(answer.message).toMatch(/Service catalog-v4 change made before it was undone, so nothing changed/);
    expect(await serviceNames()).not.toContain("catalog-v4");
    expect(((await routingState(deps, CATALOG)).weights)).toEqual({ v1: 80, v2: 20 });
    await admin.apps.deleteNamespacedDeployment({ namespace: "storefront", name: "catalog-v4" });
  });

  it("routes by header, sets the request timeout and mirrors on the route; refuses fault injection and retries with the reason", async () => {
    await applyRequestRouting(deps, CATALOG, { rules: [{ match: { on: "header", header: "x-beta", type: "exact", value: "1" }, subset: "v2" }], defaultSubset: "v1" });
    await applyTimeouts(deps, CATALOG, { timeout: "2s" });
    await applyMirroring(deps, CATALOG, { subset: "v2", percentage: 10 });
    const route = (await readRoute())!;
    expect(route.spec.rules!.map((rule) => rule.name ?? null)).toEqual(["mesh-console-match-1", null]);
    expect(route.spec.rules![0]!.matches).toEqual([{ headers: [{ name: "x-beta", type: "Exact", value: "1" }] }]);
    const defaultRule = route.spec.rules![1]!;
    expect(defaultRule.timeouts).toEqual({ request: "2s" });
    expect(defaultRule.filters).toEqual([{ type: "RequestMirror", requestMirror: { backendRef: { name: "catalog-v2", port: 8080 }, percent: 10 } }]);

    const fault = await refusal(applyFaultInjection(deps, CATALOG, { abort: { percentage: 10, httpStatus: 503 } }));
    expect(fault.status).toBe(422);
    expect(fault.message).toMatch(/Gateway API has no fault injection/);
    const retries = await refusal(applyTimeouts(deps, CATALOG, { retries: { attempts: 3 } }));
    expect(retries.message).toMatch(/retries are not in the Gateway API's standard channel/);

    writes = [];
    await removeConsoleRouting(deps, CATALOG, {});
    expect((await readRoute())!.spec.rules!.map((rule) => rule.name ?? null)).toEqual([null]);
  });

  it("refuses a VirtualService for a service an HTTPRoute routes", async () => {
    const answer = await refusal(applyTrafficShift(deps, CATALOG, { weights: { v1: 100 }, api: "virtualservice" }));
    expect(answer.status).toBe(422);
    expect(answer.message).toMatch(/catalog is routed by HTTPRoute catalog/);
  });
});

describe("a service with no routing", () => {
  it("offers both APIs with the configured default, and creates an HTTPRoute with version Services when asked", async () => {
    expect((await routingState(deps, WEB)).api).toBe("virtualservice");
    const state = await routingState({ ...deps, defaultRoutingApi: "gateway-api" }, WEB);
    expect([state.api, state.apiChoosable, state.weights]).toEqual(["gateway-api", true, null]);

    await deploy("web-v2", "web", "v2");
    const result = await applyTrafficShift(deps, WEB, { weights: { v1: 90, v2: 10 }, api: "gateway-api", resourceVersion: "" });
    expect(result.changes.map((change) => [change.kind, change.name, change.action])).toEqual([
      ["Service", "web-v1", "create"],
      ["Service", "web-v2", "create"],
      ["HTTPRoute", "web", "create"],
    ]);
    const route = (await readRoute("web"))!;
    expect(route.spec.parentRefs).toEqual([{ group: "", kind: "Service", name: "web", port: 8080 }]);
    expect((await routingState(deps, WEB)).weights).toEqual({ v1: 90, v2: 10 });

    // Removing takes the route and the Services the console created, route first.
    writes = [];
    await removeConsoleRouting(deps, WEB, {});
    expect(writes).toEqual(["DELETE httproutes/web 200", "DELETE services/web-v1 200", "DELETE services/web-v2 200"]);
    await admin.apps.deleteNamespacedDeployment({ namespace: "storefront", name: "web-v2" });
  });
});
