import type { KubeClients } from "@/server/kube";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createObjectCaches, MESH_RESOURCES, type ObjectCaches } from "@/server/kube/informers";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { createLiveValidation, ValidationNotReadyError, type LiveValidation } from "./live";

const VS = { group: "networking.istio.io", version: "v1", plural: "virtualservices" };

let api: KubeApi;
let admin: KubeClients;
let caches: ObjectCaches;
let live: LiveValidation;

beforeAll(async () => {
  api = await startKubeApi({ seed: [DEMO_MANIFESTS] });
  admin = clientsFor(api.url, api.tokens.admin);
  caches = createObjectCaches(admin, MESH_RESOURCES);
  live = createLiveValidation(caches);
});

afterAll(async () => {
  live?.stop();
  await caches?.stop();
  await api?.close();
});

function codesOf(findings: readonly { code: string; object: { kind: string; name: string } }[]): string[] {
  return findings.map((finding) => `${finding.code} ${finding.object.kind} ${finding.object.name}`);
}

describe("live validation", () => {
  it("reports the demo's deliberate misconfigurations, counted by severity, for the namespaces asked", async () => {
    const report = await live.report(["mesh-lab"]);
    expect(codesOf(report.findings)).toEqual(expect.arrayContaining(["IST0101 VirtualService catalog", "IST0101 Gateway lab-gateway", "IST0118 Service legacy"]));
    expect(report.findings.every((finding) => finding.object.namespace === "mesh-lab")).toBe(true);
    expect(report.counts.error).toBe(report.findings.filter((finding) => finding.severity === "error").length);
    expect(Number.isNaN(Date.parse(report.computedAt))).toBe(false);
    const everywhere = await live.report([]);
    expect(everywhere.findings).toEqual(expect.arrayContaining(report.findings));
    const elsewhere = await live.report(["bookinfo"]);
    expect(elsewhere.findings.some((finding) => finding.object.namespace === "mesh-lab")).toBe(false);
  });

  it("drops a finding once the fix is applied through the API, without re-reading the cluster", async () => {
    const catalog = (await admin.custom.getNamespacedCustomObject({ ...VS, namespace: "mesh-lab", name: "catalog" })) as {
      spec: { http: { route: { destination: { subset?: string } }[] }[] };
    };
    catalog.spec.http[0]!.route[1]!.destination.subset = "v1";
    const started = performance.now();
    await admin.custom.replaceNamespacedCustomObject({ ...VS, namespace: "mesh-lab", name: "catalog", body: catalog });
    await vi.waitFor(() => expect(codesOf(live.findings(["mesh-lab"]) ?? [])).not.toContain("IST0101 VirtualService catalog"), { timeout: 5000, interval: 10 });
    console.log(`finding cleared ${Math.round(performance.now() - started)} ms after the fix was written`);
    expect(codesOf(live.findings(["mesh-lab"]) ?? [])).toContain("IST0118 Service legacy");
  });

  it("flags a new misconfiguration as soon as it is written", async () => {
    await admin.core.patchNamespacedService(
      { namespace: "mesh-lab", name: "web", body: [{ op: "replace", path: "/spec/ports/0/name", value: "web" }] },
    );
    await vi.waitFor(() => expect(codesOf(live.findings(["mesh-lab"]) ?? [])).toContain("IST0118 Service web"), { timeout: 5000, interval: 10 });
  });
});

describe("live validation of the Gateway API", () => {
  const HTTPROUTES = { group: "gateway.networking.k8s.io", version: "v1", plural: "httproutes" };

  it("flags mesh-lab's route to a missing Service and its cross-namespace backend without a ReferenceGrant", async () => {
    const report = await live.report(["mesh-lab"]);
    const findings = report.findings.filter((finding) => finding.object.kind === "HTTPRoute" && finding.object.name === "reports");
    expect(findings.map((finding) => `${finding.code} ${finding.path}`)).toEqual([
      "IST0101 spec.rules[0].backendRefs[0].name",
      "MC1010 spec.rules[1].backendRefs[0].namespace",
    ]);
  });

  it("reads the status istiod writes: a negative condition becomes a finding when only the status changed", async () => {
    const route = (await admin.custom.getNamespacedCustomObject({ ...HTTPROUTES, namespace: "mesh-lab", name: "reports" })) as Record<string, unknown>;
    const condition = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, lastTransitionTime: "2026-01-01T00:00:00Z" });
    const status = {
      parents: [
        {
          parentRef: { group: "", kind: "Service", name: "reports", port: 8080 },
          controllerName: "istio.io/gateway-controller",
          conditions: [condition("Accepted", "True", "Accepted", "Route was valid"), condition("ResolvedRefs", "False", "BackendNotFound", "backend(reports-v2.mesh-lab.svc.cluster.local) not found")],
        },
      ],
    };
    await admin.custom.replaceNamespacedCustomObjectStatus({ ...HTTPROUTES, namespace: "mesh-lab", name: "reports", body: { ...route, status } });
    await vi.waitFor(() => expect(codesOf(live.findings(["mesh-lab"]) ?? [])).toContain("IST0171 HTTPRoute reports"), { timeout: 5000, interval: 10 });
    const finding = (live.findings(["mesh-lab"]) ?? []).find((candidate) => candidate.code === "IST0171" && candidate.object.name === "reports");
    expect(finding?.path).toBe("status.parents[0].conditions[1]");
    expect(finding?.message).toContain("reason=BackendNotFound");
  });
});

describe("before the caches are loaded", () => {
  it("answers with a clear not-ready error instead of partial findings", async () => {
    const unreachable = createObjectCaches(clientsFor("http://127.0.0.1:9", "none", 500), MESH_RESOURCES, { backoffMs: 50 });
    const early = createLiveValidation(unreachable);
    try {
      expect(early.findings()).toBeUndefined();
      const error = await early.report([], 300).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(ValidationNotReadyError);
      expect((error as Error).message).toMatch(/not ready yet.*virtualservices/);
    } finally {
      early.stop();
      await unreachable.stop();
    }
  });
});
