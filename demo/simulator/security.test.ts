import { describe, expect, it } from "vitest";
import { buildMeshSnapshot, type Workload } from "./mesh";
import { namespaceSchema } from "./mesh-schemas";
import { connectionOutcome, effectivePeerAuthenticationMode } from "./security";
import { bookinfoObjects, bookinfoSnapshot, deployment, peerAuthentication } from "./testing/bookinfo-fixture";

function workload(snapshot: ReturnType<typeof bookinfoSnapshot>, key: string): Workload {
  const found = snapshot.workloads.get(key);
  if (!found) throw new Error(`fixture lacks ${key}`);
  return found;
}

describe("effective PeerAuthentication mode", () => {
  it("is PERMISSIVE when no policy exists", () => {
    const snapshot = bookinfoSnapshot();
    expect(effectivePeerAuthenticationMode(snapshot, workload(snapshot, "bookinfo/details-v1"))).toBe("PERMISSIVE");
  });

  it("prefers workload over namespace over mesh-wide policy", () => {
    const snapshot = bookinfoSnapshot({
      peerAuthentications: [
        peerAuthentication("istio-system", "default", { mtls: { mode: "STRICT" } }),
        peerAuthentication("bookinfo", "default", { mtls: { mode: "PERMISSIVE" } }),
        peerAuthentication("bookinfo", "details", { selector: { matchLabels: { app: "details" } }, mtls: { mode: "DISABLE" } }),
      ],
    });
    expect(effectivePeerAuthenticationMode(snapshot, workload(snapshot, "bookinfo/details-v1"))).toBe("DISABLE");
    expect(effectivePeerAuthenticationMode(snapshot, workload(snapshot, "bookinfo/reviews-v1"))).toBe("PERMISSIVE");
    expect(effectivePeerAuthenticationMode(snapshot, workload(snapshot, "istio-system/istio-ingressgateway"))).toBe("STRICT");
  });

  it("lets UNSET inherit from the enclosing scope", () => {
    const snapshot = bookinfoSnapshot({
      peerAuthentications: [
        peerAuthentication("istio-system", "default", { mtls: { mode: "STRICT" } }),
        peerAuthentication("bookinfo", "default", { mtls: { mode: "UNSET" } }),
      ],
    });
    expect(effectivePeerAuthenticationMode(snapshot, workload(snapshot, "bookinfo/details-v1"))).toBe("STRICT");
  });
});

describe("connection outcome", () => {
  it("uses Istio mTLS between sidecars by default (auto mTLS)", () => {
    const snapshot = bookinfoSnapshot();
    expect(connectionOutcome(snapshot, workload(snapshot, "bookinfo/productpage-v1"), {}, workload(snapshot, "bookinfo/details-v1"))).toEqual({ kind: "connected", mutualTls: true });
  });

  it("sends plaintext to a workload without a sidecar", () => {
    const base = bookinfoObjects();
    const snapshot = buildMeshSnapshot({
      ...base,
      namespaces: [...base.namespaces, namespaceSchema.parse({ metadata: { name: "legacy" } })],
      deployments: [...base.deployments, deployment("legacy", "old", "v1")],
    });
    const server = workload(snapshot, "legacy/old-v1");
    expect(server.hasProxy).toBe(false);
    expect(connectionOutcome(snapshot, workload(snapshot, "bookinfo/productpage-v1"), {}, server)).toEqual({ kind: "connected", mutualTls: false });
  });

  it("follows the DestinationRule's tls mode and refuses mismatches", () => {
    const snapshot = bookinfoSnapshot({
      peerAuthentications: [
        peerAuthentication("bookinfo", "details", { selector: { matchLabels: { app: "details" } }, mtls: { mode: "STRICT" } }),
        peerAuthentication("bookinfo", "ratings", { selector: { matchLabels: { app: "ratings" } }, mtls: { mode: "DISABLE" } }),
      ],
    });
    const client = workload(snapshot, "bookinfo/productpage-v1");
    expect(connectionOutcome(snapshot, client, { tls: { mode: "DISABLE" } }, workload(snapshot, "bookinfo/details-v1")).kind).toBe("refused");
    expect(connectionOutcome(snapshot, client, { tls: { mode: "ISTIO_MUTUAL" } }, workload(snapshot, "bookinfo/ratings-v1")).kind).toBe("refused");
    // Auto mTLS notices DISABLE and sends plaintext.
    expect(connectionOutcome(snapshot, client, {}, workload(snapshot, "bookinfo/ratings-v1"))).toEqual({ kind: "connected", mutualTls: false });
    expect(connectionOutcome(snapshot, client, { tls: { mode: "DISABLE" } }, workload(snapshot, "bookinfo/reviews-v1"))).toEqual({ kind: "connected", mutualTls: false });
  });
});
