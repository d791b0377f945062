/**
 * Pods' logs read through the Kubernetes API emulator with a person's own token: the bounds reach
 * Kubernetes, timestamps come back split from the text, and RBAC on pods/log decides, with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { withKubeClients, type KubeClients } from "@/server/kube";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { containersOf, readPodLog } from "./index";

const TOKENS = { admin: "admin-token-logs", bookinfo: "bookinfo-team-token-logs" };

let api: KubeApi;
let admin: KubeClients;
let bookinfoTeam: KubeClients;
let pod: string;
let otherNamespacePod: { namespace: string; name: string };

async function pushLines(entries: { namespace: string; pod: string; container: string; time: string; line: string }[]): Promise<void> {
  const response = await fetch(`${api.url}/emulator/pod-logs`, { method: "POST", headers: { authorization: `Bearer ${TOKENS.admin}`, "content-type": "application/json" }, body: JSON.stringify({ entries }) });
  expect(response.ok, await response.clone().text()).toBe(true);
}

beforeAll(async () => {
  api = await startKubeApi({
    seed: [DEMO_MANIFESTS],
    users: [
      { name: "admin", token: TOKENS.admin, role: "admin" },
      { name: "viewer", token: "viewer-token-logs", role: "viewer" },
      { name: "bookinfo-team", token: TOKENS.bookinfo, role: "viewer", namespaces: ["bookinfo"] },
    ],
  });
  admin = clientsFor(api.url, TOKENS.admin);
  bookinfoTeam = clientsFor(api.url, TOKENS.bookinfo);
  const pods = await admin.core.listPodForAllNamespaces();
  const inBookinfo = pods.items.find((item) => item.metadata?.namespace === "bookinfo" && item.spec?.containers.some((container) => container.name === "istio-proxy"));
  const elsewhere = pods.items.find((item) => item.metadata?.namespace !== "bookinfo");
  if (!inBookinfo?.metadata?.name || !elsewhere?.metadata?.name || !elsewhere.metadata.namespace) throw new Error("the demo manifests have no pods to read logs of");
  pod = inBookinfo.metadata.name;
  otherNamespacePod = { namespace: elsewhere.metadata.namespace, name: elsewhere.metadata.name };
  const now = Date.now();
  await pushLines(
    Array.from({ length: 30 }, (_, index) => ({
      namespace: "bookinfo",
      pod,
      container: "istio-proxy",
      time: new Date(now - (30 - index) * 1000).toISOString(),
      line: `[${new Date(now - (30 - index) * 1000).toISOString()}] "GET /ratings/${index} HTTP/1.1" ${index % 3 === 0 ? "503 FI fault_filter_abort" : "200 - via_upstream"} - "-" 0 18 1 - "-" "ua" "id-${index}" "ratings:9080" "-" outbound|9080||ratings.bookinfo.svc.cluster.local - - - - -`,
    })),
  );
}, 60_000);

afterAll(async () => {
  await api?.close();
});

describe("readPodLog", () => {
  it("answers the last lines, timestamps split off, bounded by tailLines", async () => {
    const log = await withKubeClients(admin, () => readPodLog("bookinfo", pod, { container: "istio-proxy", tailLines: 10 }));
    expect(log.lines).toHaveLength(10);
    expect(log.atTailLimit).toBe(true);
    expect(log.cutAtBytes).toBe(false);
    expect(log.lines.every((line) => line.timestamp !== null)).toBe(true);
    expect(log.lines.at(-1)?.text).toContain("GET /ratings/29 ");
  });

  it("asks for no more than sinceSeconds back", async () => {
    const log = await withKubeClients(admin, () => readPodLog("bookinfo", pod, { container: "istio-proxy", tailLines: 2000, sinceSeconds: 10 }));
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.length).toBeLessThanOrEqual(11);
    expect(log.atTailLimit).toBe(false);
  });

  it("passes Kubernetes' reason on for a container the pod does not have", async () => {
    await expect(withKubeClients(admin, () => readPodLog("bookinfo", pod, { container: "no-such-container", tailLines: 10 }))).rejects.toMatchObject({ failure: "other", httpStatus: 400, message: expect.stringContaining("no-such-container") });
  });

  it("says so when the person's RBAC refuses pods/log", async () => {
    const refusal = withKubeClients(bookinfoTeam, () => readPodLog(otherNamespacePod.namespace, otherNamespacePod.name, { container: "istio-proxy", tailLines: 10 }));
    await expect(refusal).rejects.toMatchObject({ failure: "forbidden", httpStatus: 403 });
    await expect(refusal).rejects.toThrow(/Your account may not read the log of container istio-proxy in pod .+ \(pods\/log\)/);
  });

  it("is not found for a pod that does not exist", async () => {
    await expect(withKubeClients(admin, () => readPodLog("bookinfo", "gone-pod", { container: "istio-proxy", tailLines: 10 }))).rejects.toMatchObject({ failure: "not-found", httpStatus: 404 });
  });
});

describe("containersOf", () => {
  it.each([
    {
      name: "app containers first, the sidecar after, the annotation picks the default",
      pod: { metadata: { annotations: { "kubectl.kubernetes.io/default-container": "reviews" } }, spec: { containers: [{ name: "istio-proxy" }, { name: "reviews" }], initContainers: [{ name: "istio-init" }] } },
      containers: ["reviews:app", "istio-proxy:sidecar", "istio-init:init"],
      defaultContainer: "reviews",
    },
    {
      name: "a native sidecar is an init container that keeps running",
      pod: { metadata: {}, spec: { containers: [{ name: "app" }], initContainers: [{ name: "istio-proxy", restartPolicy: "Always" }] } },
      containers: ["app:app", "istio-proxy:sidecar"],
      defaultContainer: "app",
    },
    {
      name: "an annotation naming no container is ignored",
      pod: { metadata: { annotations: { "kubectl.kubernetes.io/default-container": "gone" } }, spec: { containers: [{ name: "istio-proxy" }] } },
      containers: ["istio-proxy:sidecar"],
      defaultContainer: "istio-proxy",
    },
  ])("$name", ({ pod: raw, containers, defaultContainer }) => {
    const result = containersOf(raw);
    expect(result.containers.map((container) => `${container.name}:${container.role}`)).toEqual(containers);
    expect(result.defaultContainer).toBe(defaultContainer);
  });
});
