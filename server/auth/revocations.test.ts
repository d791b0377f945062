import { describe, expect, it } from "vitest";
import { isRevoked, MAX_REVOCATIONS, parseRevoked, withRevocation } from "./revocations";
import { newSessionId } from "./sessionClaims";

describe("revocation record", () => {
  it("adds a session and drops those that have ended anyway", () => {
    const a = newSessionId();
    const b = newSessionId();
    const record = withRevocation({ [a]: 1_000 }, b, 5_000, 2_000);
    expect(isRevoked(record, b)).toBe(true);
    expect(isRevoked(record, a)).toBe(false);
  });

  it("stays bounded, keeping the sessions that would live longest", () => {
    let record: Record<string, number> = {};
    for (let i = 0; i < MAX_REVOCATIONS; i++) record[newSessionId()] = 10_000 + i;
    const late = newSessionId();
    record = withRevocation(record, late, 1_000_000, 0);
    expect(Object.keys(record)).toHaveLength(MAX_REVOCATIONS);
    expect(isRevoked(record, late)).toBe(true);
    expect(Object.values(record)).not.toContain(10_000);
  });

  it("reads a damaged record as empty and ignores entries that are not session ids", () => {
    expect(parseRevoked("{not json")).toEqual({});
    expect(parseRevoked(JSON.stringify({ short: 1 }))).toEqual({});
    const sid = newSessionId();
    expect(parseRevoked(JSON.stringify({ [sid]: 5 }))).toEqual({ [sid]: 5 });
    expect(isRevoked(parseRevoked(JSON.stringify({ [sid]: 5 })), "__proto__")).toBe(false);
  });
});

describe("revocation record in Kubernetes", () => {
  it("keeps every sign-out when replicas record them at once (writes carry the resourceVersion)", async () => {
    const { startKubeApi } = await import("@/demo/kube-api");
    const { clientsFor, DEMO_MANIFESTS } = await import("@/server/kube/testCluster");
    const { RevocationStore } = await import("./revocations");
    const api = await startKubeApi({ seed: [DEMO_MANIFESTS] });
    try {
      const clients = clientsFor(api.url, api.tokens.admin);
      const replicas = [0, 1, 2].map(() => new RevocationStore("istio-system", () => clients));
      const sids = Array.from({ length: 6 }, () => newSessionId());
      expect(await replicas[0]?.revoked(sids[0] ?? "")).toBe(false);
      await Promise.all(sids.map((sid, index) => replicas[index % 3]?.revoke(sid, Date.now() + 60_000)));
      for (const replica of replicas) for (const sid of sids) expect(await replica.revoked(sid)).toBe(true);
      expect(await replicas[1]?.revoked(newSessionId())).toBe(false);
    } finally {
      await api.close();
    }
  });
});
