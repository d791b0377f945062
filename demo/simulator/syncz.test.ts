import { describe, expect, it } from "vitest";
import { synczEntries, synczPod, TYPE_URLS } from "./syncz";

const at = new Date("2025-01-01T10:00:00Z");
const sent = new Map([
  ["cds", { count: 2, at }],
  ["lds", { count: 2, at }],
  ["rds", { count: 3, at }],
] as const);

describe("synczEntries (istiod's SyncStatus)", () => {
  it("ACKs what was pushed, keeps the previous nonce ACKed on a NACK, and never ACKs a stalled type", () => {
    const pods = [
      { name: "web-1", namespace: "shop", proxyType: "sidecar" as const, unacked: new Set<never>() },
      { name: "legacy-1", namespace: "lab", proxyType: "sidecar" as const, unacked: new Set(["rds"] as const) },
    ];
    const [legacy, web] = synczEntries(pods, { sent, rejected: new Map([["cds", "DestinationRule shop/x: bad"]]) });
    expect(legacy).toMatchObject({ proxy: "legacy-1.lab", proxy_type: "sidecar", istio_version: "1.24.2" });
    const resources = (entry: Record<string, unknown> | undefined) => entry?.resources as Record<string, { sent?: string; acked?: string; lastError?: string }>;
    expect(resources(legacy)[TYPE_URLS.rds]?.acked).toBeUndefined();
    expect(resources(web)[TYPE_URLS.rds]?.acked).toBe(resources(web)[TYPE_URLS.rds]?.sent);
    expect(resources(web)[TYPE_URLS.cds]).toMatchObject({ lastError: "DestinationRule shop/x: bad" });
    expect(resources(web)[TYPE_URLS.cds]?.acked).not.toBe(resources(web)[TYPE_URLS.cds]?.sent);
    expect(resources(web)[TYPE_URLS.eds]).toEqual({});
    expect(web).toMatchObject({ route_sent: resources(web)[TYPE_URLS.rds]?.sent, route_acked: resources(web)[TYPE_URLS.rds]?.sent });
  });
});

describe("synczPod", () => {
  it("connects running pods with istio-proxy; a lone istio-proxy is a gateway", () => {
    const running = { phase: "Running" };
    expect(synczPod({ metadata: { name: "a", namespace: "n" }, spec: { containers: [{ name: "app" }] }, status: running })).toBeUndefined();
    expect(synczPod({ metadata: { name: "gw", namespace: "n" }, spec: { containers: [{ name: "istio-proxy" }] }, status: running })?.proxyType).toBe("router");
    const stalled = synczPod({ metadata: { name: "l", namespace: "n", annotations: { "demo.mesh-console.io/xds-unacked": "RDS, lds" } }, spec: { containers: [{ name: "app" }, { name: "istio-proxy" }] }, status: running });
    expect([...(stalled?.unacked ?? [])]).toEqual(["rds", "lds"]);
  });
});
