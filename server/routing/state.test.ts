/**
 * Opening a wizard is a GET: it must send the API server no write, not even a dry run. The
 * emulator records every request; the only non-GET allowed is the access review, which stores
 * nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { VIRTUAL_SERVICE } from "./istioObjects";
import { routingState } from "./state";

const REVIEWS = { namespace: "bookinfo", service: "reviews" };
const TOKENS = { admin: "state-admin-token", viewer: "state-viewer-token", bookinfoAdmin: "state-bookinfo-admin", bookinfoViewer: "state-bookinfo-viewer" };
const ACCESS_REVIEW = "POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

let api: KubeApi;
/** Every request other than a GET, as "METHOD path?query status". */
let nonReads: string[] = [];

beforeAll(async () => {
  api = await startKubeApi({
    seed: [DEMO_MANIFESTS],
    users: [
      { name: "admin", token: TOKENS.admin, role: "admin" },
      { name: "viewer", token: TOKENS.viewer, role: "viewer" },
      { name: "bookinfo-admin", token: TOKENS.bookinfoAdmin, role: "admin", namespaces: ["bookinfo"] },
      { name: "bookinfo-viewer", token: TOKENS.bookinfoViewer, role: "viewer", namespaces: ["bookinfo"] },
    ],
    onRequest: (method, url, status) => {
      if (method !== "GET") nonReads.push(`${method} ${url} ${status}`);
    },
  });
});

afterAll(async () => {
  await api?.close();
});

beforeEach(() => {
  nonReads = [];
});

function deps(token: string) {
  return { clients: clientsFor(api.url, token), viewOnly: false };
}

/** The requests the GET sent besides reads: exactly one access review, answered 201. */
function expectOnlyAnAccessReview(): void {
  expect(nonReads.map((request) => request.replace(/\?.*? /, " "))).toEqual([`${ACCESS_REVIEW} 201`]);
}

describe("opening a wizard sends no write", () => {
  it.each([
    { who: "an admin", token: TOKENS.admin, canWrite: true },
    { who: "an admin of bookinfo only", token: TOKENS.bookinfoAdmin, canWrite: true },
    { who: "a viewer", token: TOKENS.viewer, canWrite: false },
    { who: "a viewer of bookinfo only", token: TOKENS.bookinfoViewer, canWrite: false },
  ])("asks for $who without trying a write (no VirtualService yet: may it create one?)", async ({ token, canWrite }) => {
    const state = await routingState(deps(token), REVIEWS);
    expect(state.canWrite).toBe(canWrite);
    if (!canWrite) expect(state.reason).toMatch(/^Your account may not change VirtualServices in bookinfo \(Kubernetes RBAC does not allow create of virtualservices\.networking\.istio\.io there\)/);
    expectOnlyAnAccessReview();
  });

  it("asks about updating the service's VirtualService when there is one", async () => {
    const admin = clientsFor(api.url, TOKENS.admin);
    const body = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "reviews", namespace: "bookinfo" }, spec: { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews", subset: "v1" } }] }] } };
    await admin.custom.createNamespacedCustomObject({ ...VIRTUAL_SERVICE, namespace: "bookinfo", body });
    try {
      nonReads = [];
      const viewer = await routingState(deps(TOKENS.viewer), REVIEWS);
      expect(viewer.reason).toContain("does not allow update of virtualservices.networking.istio.io");
      expect((await routingState(deps(TOKENS.bookinfoAdmin), REVIEWS)).canWrite).toBe(true);
      expect(nonReads.map((request) => request.replace(/\?.*? /, " "))).toEqual([`${ACCESS_REVIEW} 201`, `${ACCESS_REVIEW} 201`]);
    } finally {
      await admin.custom.deleteNamespacedCustomObject({ ...VIRTUAL_SERVICE, namespace: "bookinfo", name: "reviews" });
    }
  });

  it("answers view-only mode without asking the API server anything but reads", async () => {
    const state = await routingState({ ...deps(TOKENS.admin), viewOnly: true }, REVIEWS);
    expect(state.canWrite).toBe(false);
    expect(state.reason).toContain("view-only mode");
    expect(nonReads).toEqual([]);
  });
});
