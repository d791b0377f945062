import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { AUTHORIZATION_POLICY } from "@/lib/istio/authorizationPolicy";
import type { PrometheusClient } from "@/server/prometheus/client";
import type { KubeClients } from "@/server/kube";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { CREATED_BY_LABEL, CREATED_BY_VALUE } from "@/server/routing/istioObjects";
import { changeAuthorization, type AuthorizationDeps } from "./authorization";

const NAMESPACE = "bookinfo";
const WORKLOAD = "details-v1";
const POLICY = "mesh-console-allow-details-v1";
const PRODUCTPAGE = "cluster.local/ns/bookinfo/sa/bookinfo-productpage";
const REVIEWS = "cluster.local/ns/bookinfo/sa/bookinfo-reviews";

type StoredPolicy = { metadata: { resourceVersion: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec: { rules?: { from?: { source?: { principals?: string[] } }[] }[] } };

/** Apply and rollback read and write Kubernetes only. */
const prometheus: PrometheusClient = {
  baseUrl: "http://prometheus.test",
  instant: () => Promise.reject(new Error("not used")),
  queryData: () => Promise.reject(new Error("not used")),
  range: () => Promise.reject(new Error("not used")),
};

let api: KubeApi;
let admin: KubeClients;
let deps: AuthorizationDeps;

async function stored(): Promise<StoredPolicy | null> {
  const { group, version, plural } = AUTHORIZATION_POLICY;
  try {
    return (await admin.custom.getNamespacedCustomObject({ group, version, plural, namespace: NAMESPACE, name: POLICY })) as StoredPolicy;
  } catch {
    return null;
  }
}

const principalsOf = (policy: StoredPolicy | null) => policy?.spec.rules?.[0]?.from?.[0]?.source?.principals;

function apply(sources: string[], options: { resourceVersion?: string; dryRun?: boolean } = {}) {
  return changeAuthorization(deps, { action: "apply", namespace: NAMESPACE, workload: WORKLOAD, granularity: "principals", sources, dryRun: options.dryRun ?? false, ...(options.resourceVersion !== undefined ? { resourceVersion: options.resourceVersion } : {}) });
}

function rollback(resourceVersion: string) {
  return changeAuthorization(deps, { action: "rollback", namespace: NAMESPACE, workload: WORKLOAD, resourceVersion, dryRun: false });
}

beforeAll(async () => {
  api = await startKubeApi({ seed: [DEMO_MANIFESTS] });
  admin = clientsFor(api.url, api.tokens.admin);
  deps = { clients: admin, prometheus, viewOnly: false };
});

afterAll(async () => {
  await api?.close();
});

describe("applying and rolling back the console's AuthorizationPolicy", () => {
  it("writes nothing on a dry run", async () => {
    const result = await apply([PRODUCTPAGE], { dryRun: true });
    expect(result).toMatchObject({ action: "create", dryRun: true, name: POLICY, before: null });
    expect(result.after).toContain(PRODUCTPAGE);
    expect(await stored()).toBeNull();
  });

  it("creates mesh-console-allow-<workload>, labelled as the console's", async () => {
    const result = await apply([PRODUCTPAGE]);
    expect(result).toMatchObject({ action: "create", dryRun: false });
    const policy = await stored();
    expect(policy?.metadata.labels?.[CREATED_BY_LABEL]).toBe(CREATED_BY_VALUE);
    expect(principalsOf(policy)).toEqual([PRODUCTPAGE]);
  });

  it("refuses with 409 when the policy changed since it was previewed", async () => {
    const before = await stored();
    await expect(apply([PRODUCTPAGE, REVIEWS], { resourceVersion: "1" })).rejects.toMatchObject({ failure: "conflict", httpStatus: 409 });
    // Previewed when there was none: someone else created it since.
    await expect(apply([PRODUCTPAGE, REVIEWS])).rejects.toMatchObject({ failure: "conflict", httpStatus: 409 });
    expect((await stored())?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it("replaces it keeping the spec it replaced, and rollback restores that spec, then deletes what the console created", async () => {
    const first = (await stored())!;
    expect(await apply([PRODUCTPAGE, REVIEWS], { resourceVersion: first.metadata.resourceVersion })).toMatchObject({ action: "replace" });
    const replaced = (await stored())!;
    expect(principalsOf(replaced)).toEqual([PRODUCTPAGE, REVIEWS]);

    expect(await rollback(replaced.metadata.resourceVersion)).toMatchObject({ action: "replace" });
    const restored = (await stored())!;
    expect(principalsOf(restored)).toEqual([PRODUCTPAGE]);

    expect(await rollback(restored.metadata.resourceVersion)).toMatchObject({ action: "delete" });
    expect(await stored()).toBeNull();
  });

  it("refuses a rollback once the policy is gone", async () => {
    await expect(rollback("1")).rejects.toMatchObject({ failure: "conflict", httpStatus: 409 });
  });

  it("refuses in view-only mode", async () => {
    await expect(changeAuthorization({ ...deps, viewOnly: true }, { action: "apply", namespace: NAMESPACE, workload: WORKLOAD, granularity: "principals", sources: [PRODUCTPAGE], dryRun: true })).rejects.toMatchObject({
      status: 403,
      reason: "view-only",
    });
    expect(await stored()).toBeNull();
  });
});
