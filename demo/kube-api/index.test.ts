/**
 * The emulator as the console meets it: through @kubernetes/client-node and a kubeconfig.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, VIEWER_CONTEXT, type KubeApi } from "./index";

const VS = { group: "networking.istio.io", version: "v1", plural: "virtualservices" };
const MANIFESTS = path.resolve(__dirname, "../manifests");

let api: KubeApi;
let dir: string;
let kc: KubeConfig;
let viewer: KubeConfig;

function reviewsRoute(weights: [number, number]) {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews", namespace: "bookinfo" },
    spec: {
      hosts: ["reviews"],
      http: [
        {
          route: [
            { destination: { host: "reviews", subset: "v1" }, weight: weights[0] },
            { destination: { host: "reviews", subset: "v2" }, weight: weights[1] },
          ],
        },
      ],
    },
  };
}

async function apiError(promise: Promise<unknown>): Promise<{ code: number; status: { reason?: string; message?: string; details?: { causes?: { field?: string; reason?: string }[] } } }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) {
      const body = typeof error.body === "string" ? JSON.parse(error.body) : error.body;
      return { code: error.code, status: body };
    }
    throw error;
  }
  throw new Error("expected the request to fail");
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-api-test-"));
  api = await startKubeApi({ seed: [MANIFESTS], kubeconfigPath: path.join(dir, "kubeconfig"), historyLimit: 50 });
  kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath ?? "");
  viewer = new KubeConfig();
  viewer.loadFromFile(api.kubeconfigPath ?? "");
  viewer.setCurrentContext(VIEWER_CONTEXT);
});

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("reads through client-node", () => {
  it("lists the seeded Bookinfo services, pods and Istio config across versions", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const services = await core.listNamespacedService({ namespace: "bookinfo" });
    expect(services.items.map((s) => s.metadata?.name).sort()).toEqual(["details", "mongodb", "productpage", "ratings", "reviews"]);
    expect(Number(services.metadata?.resourceVersion)).toBeGreaterThan(0);

    const pods = await core.listNamespacedPod({ namespace: "bookinfo", labelSelector: "app in (reviews),version!=v1" });
    expect(pods.items.map((p) => p.metadata?.labels?.version).sort()).toEqual(["v2", "v3"]);
    for (const pod of pods.items) {
      expect(pod.spec?.containers.map((c) => c.name)).toContain("istio-proxy");
      expect(pod.metadata?.labels?.["security.istio.io/tlsMode"]).toBe("istio");
      expect(pod.status?.phase).toBe("Running");
    }

    const custom = kc.makeApiClient(CustomObjectsApi);
    for (const version of ["v1", "v1beta1", "v1alpha3"]) {
      const list = (await custom.listNamespacedCustomObject({ ...VS, version, namespace: "bookinfo" })) as { items: { apiVersion: string; metadata: { name: string } }[] };
      expect(list.items.map((i) => i.metadata.name)).toContain("bookinfo");
      expect(list.items[0]?.apiVersion).toBe(`networking.istio.io/${version}`);
    }
  });

  it("pages a cluster-wide list with limit and continue", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const all = await core.listPodForAllNamespaces();
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 5, _continue: token });
      expect(page.items.length).toBeLessThanOrEqual(5);
      names.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      token = page.metadata?._continue;
    } while (token);
    expect(names).toEqual(all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
  });

  it("answers 401 to an unknown token and 403 to the viewer's writes", async () => {
    const stranger = new KubeConfig();
    stranger.loadFromFile(api.kubeconfigPath ?? "");
    const user = stranger.getCurrentUser();
    if (user) (user as { token?: string }).token = "not-a-token";
    expect((await apiError(stranger.makeApiClient(CoreV1Api).listNamespace())).code).toBe(401);

    const custom = viewer.makeApiClient(CustomObjectsApi);
    const listed = (await custom.listNamespacedCustomObject({ ...VS, namespace: "bookinfo" })) as { items: unknown[] };
    expect(listed.items.length).toBeGreaterThan(0);
    const failure = await apiError(
      custom.patchNamespacedCustomObject({ ...VS, namespace: "bookinfo", name: "bookinfo", body: { metadata: { labels: { a: "b" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch)),
    );
    expect(failure.code).toBe(403);
    expect(failure.status.message).toBe(
      'virtualservices.networking.istio.io "bookinfo" is forbidden: User "viewer" cannot patch resource "virtualservices" in API group "networking.istio.io" in the namespace "bookinfo"',
    );
  });
});

describe("writes through client-node", () => {
  it("creates, merge-patches and JSON-patches a VirtualService, bumping generation", async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const created = (await custom.createNamespacedCustomObject({ ...VS, namespace: "bookinfo", body: reviewsRoute([90, 10]) })) as { metadata: { generation: number; uid: string; resourceVersion: string } };
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);

    const merged = (await custom.patchNamespacedCustomObject(
      { ...VS, namespace: "bookinfo", name: "reviews", body: { spec: { hosts: ["reviews", "reviews.bookinfo.svc.cluster.local"] } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    )) as { spec: { hosts: string[]; http: unknown[] }; metadata: { generation: number } };
    expect(merged.spec.hosts).toEqual(["reviews", "reviews.bookinfo.svc.cluster.local"]);
    expect(merged.spec.http).toHaveLength(1);
    expect(merged.metadata.generation).toBe(2);

    const jsonPatched = (await custom.patchNamespacedCustomObject(
      {
        ...VS,
        namespace: "bookinfo",
        name: "reviews",
        body: [
          { op: "replace", path: "/spec/http/0/route/0/weight", value: 50 },
          { op: "replace", path: "/spec/http/0/route/1/weight", value: 50 },
        ],
      },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    )) as { spec: { http: { route: { weight: number }[] }[] }; metadata: { generation: number } };
    expect(jsonPatched.spec.http[0]?.route.map((r) => r.weight)).toEqual([50, 50]);
    expect(jsonPatched.metadata.generation).toBe(3);

    const strategic = await apiError(
      custom.patchNamespacedCustomObject({ ...VS, namespace: "bookinfo", name: "reviews", body: { spec: {} } }, setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch)),
    );
    expect(strategic.code).toBe(415);
  });

  it("refuses a stale resourceVersion with 409 Conflict", async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const current = (await custom.getNamespacedCustomObject({ ...VS, namespace: "bookinfo", name: "bookinfo" })) as { metadata: { resourceVersion: string; labels?: Record<string, string> } };
    const stale = current.metadata.resourceVersion;
    await custom.patchNamespacedCustomObject(
      { ...VS, namespace: "bookinfo", name: "bookinfo", body: { metadata: { labels: { touched: "once" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    const failure = await apiError(
      custom.replaceNamespacedCustomObject({ ...VS, namespace: "bookinfo", name: "bookinfo", body: { ...current, metadata: { ...current.metadata, resourceVersion: stale } } }),
    );
    expect(failure.code).toBe(409);
    expect(failure.status.reason).toBe("Conflict");
    expect(failure.status.message).toBe(
      'Operation cannot be fulfilled on virtualservices.networking.istio.io "bookinfo": the object has been modified; please apply your changes to the latest version and try again',
    );
    const viaPatch = await apiError(
      custom.patchNamespacedCustomObject(
        { ...VS, namespace: "bookinfo", name: "bookinfo", body: { metadata: { resourceVersion: stale, labels: { touched: "twice" } } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
    );
    expect(viaPatch.code).toBe(409);
  });

  it("rejects a weight given as a string with 422 naming the field", async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const body = reviewsRoute([80, 20]) as { metadata: { name: string }; spec: { http: { route: { weight: unknown }[] }[] } };
    body.metadata.name = "reviews-bad";
    const route = body.spec.http[0]?.route[0];
    if (route) route.weight = "80";
    const failure = await apiError(custom.createNamespacedCustomObject({ ...VS, namespace: "bookinfo", body }));
    expect(failure.code).toBe(422);
    expect(failure.status.reason).toBe("Invalid");
    expect(failure.status.details?.causes?.[0]?.field).toBe("spec.http[0].route[0].weight");
    const missing = await apiError(custom.getNamespacedCustomObject({ ...VS, namespace: "bookinfo", name: "reviews-bad" }));
    expect(missing.code).toBe(404);
  });

  it("validates but does not store on dryRun=All", async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const body = reviewsRoute([60, 40]) as { metadata: { name: string } };
    body.metadata.name = "reviews-dry";
    const answered = (await custom.createNamespacedCustomObject({ ...VS, namespace: "bookinfo", body, dryRun: "All" })) as { metadata: { name: string } };
    expect(answered.metadata.name).toBe("reviews-dry");
    expect((await apiError(custom.getNamespacedCustomObject({ ...VS, namespace: "bookinfo", name: "reviews-dry" }))).code).toBe(404);
  });

  it("creates a Deployment through KubernetesObjectApi and generates its ReplicaSet, pods and endpoints", async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    await objects.create({ apiVersion: "v1", kind: "Service", metadata: { name: "echo", namespace: "mesh-lab" }, spec: { selector: { app: "echo" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] } } as never);
    await objects.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "echo-v1", namespace: "mesh-lab" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "echo", version: "v1" } },
        template: { metadata: { labels: { app: "echo", version: "v1" } }, spec: { containers: [{ name: "echo", image: "echo:1", ports: [{ containerPort: 8080 }] }] } },
      },
    } as never);
    const apps = kc.makeApiClient(AppsV1Api);
    const sets = await apps.listNamespacedReplicaSet({ namespace: "mesh-lab", labelSelector: "app=echo" });
    expect(sets.items).toHaveLength(1);
    const core = kc.makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: "mesh-lab", labelSelector: "app=echo" });
    expect(pods.items).toHaveLength(2);
    expect(pods.items[0]?.metadata?.name?.startsWith(`${sets.items[0]?.metadata?.name}-`)).toBe(true);
    const endpoints = await core.readNamespacedEndpoints({ name: "echo", namespace: "mesh-lab" });
    expect(endpoints.subsets?.[0]?.addresses).toHaveLength(2);
    expect(endpoints.subsets?.[0]?.ports?.[0]?.port).toBe(8080);

    await apps.deleteNamespacedDeployment({ name: "echo-v1", namespace: "mesh-lab" });
    expect((await core.listNamespacedPod({ namespace: "mesh-lab", labelSelector: "app=echo" })).items).toHaveLength(0);
  });

  it("refuses a namespace in the body that differs from the URL, and a missing namespace", async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const mismatch = reviewsRoute([50, 50]) as { metadata: { name: string; namespace: string } };
    mismatch.metadata = { name: "elsewhere", namespace: "mesh-lab" };
    expect((await apiError(custom.createNamespacedCustomObject({ ...VS, namespace: "bookinfo", body: mismatch }))).code).toBe(400);
    const nowhere = await apiError(custom.createNamespacedCustomObject({ ...VS, namespace: "no-such-ns", body: { ...reviewsRoute([50, 50]), metadata: { name: "x" } } }));
    expect(nowhere.code).toBe(404);
    expect(nowhere.status.message).toBe('namespaces "no-such-ns" not found');
  });
});

interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string };
}

/** Watches until `until` says stop, collecting events. */
async function collectWatch(config: KubeConfig, watchPath: string, query: Record<string, string | boolean>, until: (events: WatchEvent[]) => boolean): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  let controller: AbortController | undefined;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`watch did not see the expected events; saw ${JSON.stringify(events.map((e) => e.type))}`)), 10_000);
    new Watch(config)
      .watch(
        watchPath,
        query,
        (type, object) => {
          events.push({ type, object });
          if (until(events)) {
            clearTimeout(timer);
            resolve();
          }
        },
        () => {
          clearTimeout(timer);
          resolve();
        },
      )
      .then((c) => (controller = c), reject);
  });
  controller?.abort();
  return events;
}

describe("watch through client-node", () => {
  const vsPath = "/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices";

  it("sends the current state as ADDED, then changes as they happen", async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const seen = collectWatch(kc, vsPath, {}, (events) => events.some((e) => e.type === "MODIFIED" && e.object.metadata?.name === "bookinfo"));
    await new Promise((r) => setTimeout(r, 200));
    await custom.patchNamespacedCustomObject(
      { ...VS, namespace: "bookinfo", name: "bookinfo", body: { metadata: { annotations: { watched: "yes" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    const events = await seen;
    expect(events[0]?.type).toBe("ADDED");
    expect(events.filter((e) => e.type === "ADDED").map((e) => e.object.metadata?.name)).toContain("bookinfo");
  });

  it("resumes from a resourceVersion, replaying only what came after it", async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const list = (await custom.listNamespacedCustomObject({ ...VS, namespace: "bookinfo" })) as { metadata: { resourceVersion: string } };
    await custom.createNamespacedCustomObject({ ...VS, namespace: "bookinfo", body: { ...reviewsRoute([70, 30]), metadata: { name: "reviews-resume" } } });
    await custom.deleteNamespacedCustomObject({ ...VS, namespace: "bookinfo", name: "reviews-resume" });
    const events = await collectWatch(kc, vsPath, { resourceVersion: list.metadata.resourceVersion }, (e) => e.length >= 2);
    expect(events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(["ADDED reviews-resume", "DELETED reviews-resume"]);
  });

  it("answers a resourceVersion older than the history window with a 410 ERROR event", async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const list = (await custom.listNamespacedCustomObject({ ...VS, namespace: "bookinfo" })) as { metadata: { resourceVersion: string } };
    // The server keeps 50 events here; 60 writes push the list's resourceVersion out of it.
    for (let i = 0; i < 60; i++) {
      await custom.patchNamespacedCustomObject(
        { ...VS, namespace: "bookinfo", name: "bookinfo", body: { metadata: { annotations: { round: String(i) } } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
    }
    const events = await collectWatch(kc, vsPath, { resourceVersion: list.metadata.resourceVersion }, (e) => e.length >= 1);
    expect(events[0]?.type).toBe("ERROR");
    expect(events[0]?.object.code).toBe(410);
    expect(events[0]?.object.reason).toBe("Expired");
  });

  it("sends bookmarks when asked and honours timeoutSeconds", async () => {
    const started = Date.now();
    const events = await collectWatch(kc, "/api/v1/namespaces", { allowWatchBookmarks: true, timeoutSeconds: "1" }, () => false);
    expect(events.some((e) => e.type === "ADDED")).toBe(true);
    expect(events[events.length - 1]?.type).toBe("BOOKMARK");
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
