import { describe, expect, it } from "vitest";
import { effectiveMtls, isStrictEverywhere, readPeerAuthentications, strictSpec, workloadPolicyName } from "./peerAuthentication";

const ROOT = "istio-system";

function policy(namespace: string, name: string, spec: Record<string, unknown>, creationTimestamp = "2024-01-01T00:00:00Z") {
  return { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { namespace, name, creationTimestamp }, spec };
}

const mesh = (mode: string) => policy(ROOT, "default", { mtls: { mode } });
const namespaceWide = (mode: string) => policy("shop", "default", { mtls: { mode } });
const forWorkload = (mode: string | undefined, extra: Record<string, unknown> = {}, name = "web") => policy("shop", name, { selector: { matchLabels: { app: "web" } }, ...(mode ? { mtls: { mode } } : {}), ...extra });

const web = { namespace: "shop", labels: { app: "web", version: "v1" }, rootNamespace: ROOT };

describe("effectiveMtls (Istio's PeerAuthentication precedence)", () => {
  it.each([
    { name: "no policy: PERMISSIVE by default", policies: [], mode: "PERMISSIVE", scope: "default" },
    { name: "mesh-wide STRICT", policies: [mesh("STRICT")], mode: "STRICT", scope: "mesh" },
    { name: "namespace over mesh", policies: [mesh("STRICT"), namespaceWide("PERMISSIVE")], mode: "PERMISSIVE", scope: "namespace" },
    { name: "workload over namespace", policies: [namespaceWide("PERMISSIVE"), forWorkload("STRICT")], mode: "STRICT", scope: "workload" },
    { name: "UNSET workload policy inherits the namespace's", policies: [namespaceWide("STRICT"), forWorkload("UNSET")], mode: "STRICT", scope: "namespace" },
    { name: "UNSET namespace policy inherits the mesh's", policies: [mesh("STRICT"), namespaceWide("UNSET")], mode: "STRICT", scope: "mesh" },
    { name: "a policy in another namespace does not apply", policies: [policy("other", "default", { mtls: { mode: "STRICT" } })], mode: "PERMISSIVE", scope: "default" },
    { name: "a mesh policy with a selector is not mesh-wide", policies: [policy(ROOT, "gw", { selector: { matchLabels: { app: "web" } }, mtls: { mode: "STRICT" } })], mode: "PERMISSIVE", scope: "default" },
    { name: "a selector that does not match", policies: [policy("shop", "db", { selector: { matchLabels: { app: "db" } }, mtls: { mode: "DISABLE" } })], mode: "PERMISSIVE", scope: "default" },
    {
      name: "the oldest of two namespace-wide policies wins",
      policies: [policy("shop", "newer", { mtls: { mode: "DISABLE" } }, "2024-02-01T00:00:00Z"), policy("shop", "older", { mtls: { mode: "STRICT" } }, "2024-01-01T00:00:00Z")],
      mode: "STRICT",
      scope: "namespace",
    },
  ])("$name", ({ policies, mode, scope }) => {
    const effective = effectiveMtls(readPeerAuthentications(policies), web);
    expect(effective.mode).toBe(mode);
    expect(effective.source.scope).toBe(scope);
  });

  it("the namespace as a whole ignores workload policies", () => {
    expect(effectiveMtls(readPeerAuthentications([forWorkload("STRICT")]), { namespace: "shop", rootNamespace: ROOT }).mode).toBe("PERMISSIVE");
  });

  it("port-level modes override per port; UNSET ports inherit the policy's effective mode", () => {
    const policies = readPeerAuthentications([mesh("STRICT"), forWorkload(undefined, { portLevelMtls: { "8080": { mode: "PERMISSIVE" }, "9090": { mode: "UNSET" } } })]);
    const effective = effectiveMtls(policies, web);
    expect(effective).toMatchObject({ mode: "STRICT", source: { scope: "mesh" }, ports: [{ port: 8080, mode: "PERMISSIVE" }, { port: 9090, mode: "STRICT" }] });
    expect(isStrictEverywhere(effective)).toBe(false);
  });

  it("port-level settings only count on policies with a selector", () => {
    const effective = effectiveMtls(readPeerAuthentications([policy("shop", "default", { mtls: { mode: "STRICT" }, portLevelMtls: { "8080": { mode: "DISABLE" } } })]), web);
    expect(effective.ports).toEqual([]);
    expect(isStrictEverywhere(effective)).toBe(true);
  });
});

describe("the console's STRICT policy", () => {
  it("is namespace-wide without a selector and per workload with one", () => {
    expect(strictSpec()).toEqual({ mtls: { mode: "STRICT" } });
    expect(strictSpec({ app: "web" })).toEqual({ selector: { matchLabels: { app: "web" } }, mtls: { mode: "STRICT" } });
  });

  it("names a workload policy <workload>-strict within 63 characters", () => {
    expect(workloadPolicyName("web-v1")).toBe("web-v1-strict");
    expect(workloadPolicyName("a".repeat(70)).length).toBeLessThanOrEqual(63);
  });
});
