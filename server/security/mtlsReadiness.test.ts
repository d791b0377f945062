import { describe, expect, it } from "vitest";
import { readPeerAuthentications } from "@/lib/istio/peerAuthentication";
import type { VectorSample } from "@/server/prometheus/responses";
import { MIN_REQUESTS, namespaceReadiness, plaintextCallers, securitySamples, strictConflicts, verdictOf, type InventoryWorkload, type ReadinessInput } from "./mtlsReadiness";

const ROOT = "istio-system";

/** A recorded destination-side series, summed over the window. */
function series(destination: string, source: string, sourceNamespace: string, policy: "mutual_tls" | "none", value: number): VectorSample {
  return {
    metric: { destination_workload_namespace: "shop", destination_workload: destination, source_workload: source, source_workload_namespace: sourceNamespace, connection_security_policy: policy },
    value: [0, String(value)],
  };
}

const workloads: InventoryWorkload[] = [
  { namespace: "shop", name: "web-v1", labels: { app: "web", version: "v1" }, hasProxy: true, application: true },
  { namespace: "shop", name: "catalog-v1", labels: { app: "catalog", version: "v1" }, hasProxy: true, application: true },
  { namespace: "shop", name: "batch", labels: { app: "batch" }, hasProxy: false, application: true },
];

function input(requests: VectorSample[], extra: Partial<ReadinessInput> = {}): ReadinessInput {
  return {
    namespace: "shop",
    rootNamespace: ROOT,
    samples: securitySamples(requests, []),
    workloads,
    services: [
      { namespace: "shop", name: "web", selector: { app: "web" } },
      { namespace: "shop", name: "catalog", selector: { app: "catalog" } },
    ],
    peerAuthentications: [],
    destinationRules: [],
    policies: { namespace: null, workloads: new Map() },
    ...extra,
  };
}

describe("the readiness verdict from recorded series", () => {
  it.each([
    { name: "all mutual TLS, enough traffic: ready", requests: [series("catalog-v1", "web-v1", "shop", "mutual_tls", 500)], verdict: "ready" },
    { name: "one plaintext request is enough to refuse", requests: [series("catalog-v1", "web-v1", "shop", "mutual_tls", 500), series("catalog-v1", "unknown", "unknown", "none", 1)], verdict: "plaintext" },
    { name: "no plaintext but too little traffic", requests: [series("catalog-v1", "web-v1", "shop", "mutual_tls", MIN_REQUESTS - 1)], verdict: "too-little-traffic" },
    { name: "exactly the minimum is enough", requests: [series("catalog-v1", "web-v1", "shop", "mutual_tls", MIN_REQUESTS)], verdict: "ready" },
    { name: "no traffic at all", requests: [], verdict: "too-little-traffic" },
    { name: "client reports (policy unknown) do not count", requests: [{ metric: { destination_workload_namespace: "shop", destination_workload: "catalog-v1", connection_security_policy: "unknown" }, value: [0, "900"] } as VectorSample], verdict: "too-little-traffic" },
  ])("$name", ({ requests, verdict }) => {
    expect(namespaceReadiness(input(requests)).verdict).toBe(verdict);
  });

  it("already STRICT namespace-wide is enforced, whatever the traffic", () => {
    const policies = readPeerAuthentications([{ metadata: { namespace: "shop", name: "default" }, spec: { mtls: { mode: "STRICT" } } }]);
    expect(namespaceReadiness(input([], { peerAuthentications: policies })).verdict).toBe("enforced");
  });

  it("a workload policy that keeps one workload PERMISSIVE is an exception, and the namespace is not enforced", () => {
    const policies = readPeerAuthentications([
      { metadata: { namespace: "shop", name: "default" }, spec: { mtls: { mode: "STRICT" } } },
      { metadata: { namespace: "shop", name: "web-permissive" }, spec: { selector: { matchLabels: { app: "web" } }, mtls: { mode: "PERMISSIVE" } } },
    ]);
    const readiness = namespaceReadiness(input([series("web-v1", "web-v1", "shop", "mutual_tls", 500)], { peerAuthentications: policies }));
    expect(readiness.exceptions).toEqual([{ workload: "web-v1", policy: "web-permissive", mode: "PERMISSIVE", ports: [] }]);
    expect(readiness.verdict).toBe("ready");
  });

  it("a workload without a proxy is not judged", () => {
    const readiness = namespaceReadiness(input([series("catalog-v1", "web-v1", "shop", "mutual_tls", 500)]));
    expect(readiness.workloads.find((workload) => workload.workload === "batch")?.verdict).toBe("no-proxy");
    expect(readiness.workloads.find((workload) => workload.workload === "catalog-v1")?.verdict).toBe("ready");
    expect(readiness.workloads.find((workload) => workload.workload === "web-v1")?.verdict).toBe("too-little-traffic");
  });

  it("TCP-only targets are judged by bytes", () => {
    const bytes = (policy: "mutual_tls" | "none", value: number) => ({ ...series("catalog-v1", "web-v1", "shop", policy, value) });
    expect(verdictOf({ requests: 0, plaintextRequests: 0, tcpBytes: 1 << 20, plaintextTcpBytes: 0 }, { mode: "PERMISSIVE", source: { scope: "default" }, ports: [] }, true).verdict).toBe("ready");
    const samples = securitySamples([], [bytes("none", 2048)]);
    expect(namespaceReadiness({ ...input([]), samples }).verdict).toBe("plaintext");
  });
});

describe("plaintext callers", () => {
  it.each([
    { name: "caller the proxy cannot name: unidentified", source: "unknown", sourceNamespace: "unknown", kind: "unidentified", sourceWorkload: null },
    { name: "a named workload without a proxy", source: "batch", sourceNamespace: "shop", kind: "no-proxy", sourceWorkload: "batch" },
    { name: "a meshed workload sending plaintext", source: "web-v1", sourceNamespace: "shop", kind: "meshed", sourceWorkload: "web-v1" },
    { name: "a named workload in a namespace not read", source: "job", sourceNamespace: "elsewhere", kind: "meshed", sourceWorkload: "job" },
  ])("$name", ({ source, sourceNamespace, kind, sourceWorkload }) => {
    const callers = plaintextCallers(securitySamples([series("catalog-v1", source, sourceNamespace, "none", 12)], []), workloads);
    expect(callers).toEqual([{ kind, sourceWorkload, sourceNamespace: sourceWorkload ? sourceNamespace : null, destinationWorkload: "catalog-v1", destinationNamespace: "shop", requests: 12, tcpBytes: 0 }]);
  });

  it("one entry per caller and destination, requests and bytes added up, busiest first", () => {
    const samples = securitySamples(
      [series("catalog-v1", "unknown", "unknown", "none", 3), series("web-v1", "unknown", "unknown", "none", 40), series("catalog-v1", "web-v1", "shop", "mutual_tls", 99)],
      [series("catalog-v1", "unknown", "unknown", "none", 1000)],
    );
    expect(plaintextCallers(samples, workloads).map((caller) => [caller.destinationWorkload, caller.requests, caller.tcpBytes])).toEqual([
      ["web-v1", 40, 0],
      ["catalog-v1", 3, 1000],
    ]);
  });
});

describe("DestinationRules STRICT would break", () => {
  const services = [{ namespace: "shop", name: "catalog", selector: { app: "catalog" } }];
  const rule = (namespace: string, host: string, trafficPolicy: Record<string, unknown>, subsets: unknown[] = []) => ({ metadata: { namespace, name: `dr-${host.replace(/\W/g, "")}` }, spec: { host, trafficPolicy, subsets } });
  it.each([
    { name: "DISABLE toward the service", rules: [rule("shop", "catalog", { tls: { mode: "DISABLE" } })], paths: ["spec.trafficPolicy.tls.mode"] },
    { name: "SIMPLE from another namespace by FQDN", rules: [rule("front", "catalog.shop.svc.cluster.local", { tls: { mode: "SIMPLE" } })], paths: ["spec.trafficPolicy.tls.mode"] },
    { name: "MUTUAL on one port", rules: [rule("shop", "catalog", { portLevelSettings: [{ port: { number: 8080 }, tls: { mode: "MUTUAL" } }] })], paths: ["spec.trafficPolicy.portLevelSettings[0].tls.mode"] },
    { name: "DISABLE in a subset", rules: [rule("shop", "catalog", {}, [{ name: "v1", trafficPolicy: { tls: { mode: "DISABLE" } } }])], paths: ["spec.subsets[0].trafficPolicy.tls.mode"] },
    { name: "a wildcard over the namespace", rules: [rule("shop", "*.shop.svc.cluster.local", { tls: { mode: "DISABLE" } })], paths: ["spec.trafficPolicy.tls.mode"] },
    { name: "ISTIO_MUTUAL is fine", rules: [rule("shop", "catalog", { tls: { mode: "ISTIO_MUTUAL" } })], paths: [] },
    { name: "another host is not concerned", rules: [rule("shop", "web", { tls: { mode: "DISABLE" } })], paths: [] },
  ])("$name", ({ rules, paths }) => {
    expect(strictConflicts(rules, services).map((conflict) => conflict.path)).toEqual(paths);
  });
});
