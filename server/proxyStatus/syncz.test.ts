import { describe, expect, it } from "vitest";
import { mergeIstiodAnswers, proxySyncOf, splitProxyId, synczSchema, xdsTypeSync, XDS_TYPE_URLS } from "./syncz";

const CDS = XDS_TYPE_URLS.CDS.typeUrl;
const RDS = XDS_TYPE_URLS.RDS.typeUrl;

/** As istiod 1.24 answers /debug/syncz (pilot/pkg/xds/debug.go SyncStatus). */
const ISTIOD_1_24 = [
  {
    cluster_id: "Kubernetes",
    proxy: "reviews-v1-5d8f7c9b4-x2v9k.bookinfo",
    proxy_type: "sidecar",
    istio_version: "1.24.2",
    cluster_sent: "a1",
    cluster_acked: "a1",
    route_sent: "r2",
    route_acked: "r1",
    resources: {
      [CDS]: { sent: "a1", acked: "a1", sentTime: "2025-01-01T10:00:00Z" },
      [RDS]: { sent: "r2", acked: "r1", sentTime: "2025-01-01T10:00:05Z", lastError: "regex is invalid" },
      [XDS_TYPE_URLS.LDS.typeUrl]: { sent: "l2", acked: "l1", sentTime: "2025-01-01T10:00:05Z" },
      [XDS_TYPE_URLS.EDS.typeUrl]: { sentTime: "0001-01-01T00:00:00Z" },
      "type.googleapis.com/istio.security.Authorization": { sent: "w1", acked: "w1" },
    },
  },
];

describe("xdsTypeSync (istiod's debugSyncStatus, istioctl's words)", () => {
  it.each([
    ["a NACK", { sent: "n2", acked: "n1", lastError: "rejected" }, "sidecar", "ERROR", false],
    ["nothing sent", {}, "sidecar", "NOT SENT", false],
    ["nothing sent to ztunnel", {}, "ztunnel", "IGNORED", false],
    ["the last push ACKed", { sent: "n1", acked: "n1" }, "sidecar", "SYNCED", false],
    ["a push not ACKed yet", { sent: "n2", acked: "n1" }, "sidecar", "STALE", false],
    ["nothing ever ACKed", { sent: "n1" }, "router", "STALE", true],
    ["a type not subscribed", undefined, "sidecar", "IGNORED", false],
  ] as const)("%s → %s", (_, resource, proxyType, status, neverAcknowledged) => {
    const sync = xdsTypeSync("CDS", CDS, resource, proxyType);
    expect(sync.status).toBe(status);
    expect(sync.neverAcknowledged).toBe(neverAcknowledged);
  });
});

describe("proxySyncOf", () => {
  it("reads istiod's `resources`, core types first, extras after, and marks the proxy out of sync", () => {
    const [entry] = synczSchema.parse(ISTIOD_1_24);
    const proxy = proxySyncOf(entry!, "istiod-7f9c-abcde");
    expect(proxy).toMatchObject({ pod: "reviews-v1-5d8f7c9b4-x2v9k", namespace: "bookinfo", istiod: "istiod-7f9c-abcde", istioVersion: "1.24.2", outOfSync: true });
    expect(proxy.types.map((t) => [t.type, t.status])).toEqual([
      ["CDS", "SYNCED"],
      ["LDS", "STALE"],
      ["EDS", "NOT SENT"],
      ["RDS", "ERROR"],
      ["ECDS", "IGNORED"],
      ["istio.security.Authorization", "SYNCED"],
    ]);
    expect(proxy.types.find((t) => t.type === "RDS")?.error).toBe("regex is invalid");
    expect(proxy.types.find((t) => t.type === "EDS")?.lastSent).toBeNull();
  });

  it("falls back to the legacy fields of istiods without `resources`", () => {
    const [entry] = synczSchema.parse([{ proxy: "web-1.shop", proxy_type: "sidecar", cluster_sent: "c1", cluster_acked: "c1", listener_sent: "l1", listener_acked: "l1", route_sent: "r1", endpoint_sent: "" }]);
    const proxy = proxySyncOf(entry!, "istiod-a");
    expect(proxy.types.map((t) => t.status)).toEqual(["SYNCED", "SYNCED", "NOT SENT", "STALE", "IGNORED"]);
  });

  it("is in sync when every type is SYNCED, NOT SENT or IGNORED", () => {
    const [entry] = synczSchema.parse([{ proxy: "web-1.shop", resources: { [CDS]: { sent: "c", acked: "c" }, [RDS]: {} } }]);
    expect(proxySyncOf(entry!, "istiod-a").outOfSync).toBe(false);
  });
});

describe("mergeIstiodAnswers", () => {
  it("keeps each proxy once, from the istiod that pushed to it last", () => {
    const old = { proxy: "web-1.shop", resources: { [CDS]: { sent: "c1", acked: "c1", sentTime: "2025-01-01T09:00:00Z" } } };
    const live = { proxy: "web-1.shop", resources: { [CDS]: { sent: "c9", acked: "c9", sentTime: "2025-01-01T10:00:00Z" } } };
    const other = { proxy: "api-1.shop", resources: {} };
    const merged = mergeIstiodAnswers([
      { istiod: "istiod-b", entries: synczSchema.parse([live, other]) },
      { istiod: "istiod-a", entries: synczSchema.parse([old]) },
    ]);
    expect(merged.map((p) => [p.id, p.istiod])).toEqual([
      ["api-1.shop", "istiod-b"],
      ["web-1.shop", "istiod-b"],
    ]);
  });

  it("splits proxy ids at the last dot", () => {
    expect(splitProxyId("istio-ingressgateway-6b7c.istio-system")).toEqual({ pod: "istio-ingressgateway-6b7c", namespace: "istio-system" });
  });
});
