import { describe, expect, it } from "vitest";
import { parseCallGraphModel } from "./call-graph";
import { generateMesh, parseScaleSpec, splitWeights } from "./scale";

const kindCount = (mesh: ReturnType<typeof generateMesh>, kind: string) => mesh.objects.filter((o) => o.kind === kind).length;

describe("scale generator", () => {
  const spec = { namespaces: 50, services: 20, versions: 1, fanout: 5, replicas: 1 };
  const mesh = generateMesh(spec, 42);

  it("builds 1,000 workloads in 50 namespaces with at least 5,000 edges", () => {
    expect(mesh.counts).toMatchObject({ namespaces: 50, services: 1000, workloads: 1000 });
    expect(mesh.counts.edges).toBeGreaterThanOrEqual(5000);
    expect(kindCount(mesh, "Namespace")).toBe(50);
    expect(kindCount(mesh, "Deployment")).toBe(1000);
    expect(kindCount(mesh, "Service")).toBe(1000);
    expect(kindCount(mesh, "DestinationRule")).toBe(1000);
    expect(kindCount(mesh, "VirtualService")).toBe(mesh.counts.virtualServices);
  });

  it("counts as edges exactly the calls its model makes plus the gateway's entries", () => {
    const model = parseCallGraphModel(mesh.model);
    const calls = model.behaviours.reduce((sum, b) => sum + b.calls.length, 0);
    expect(mesh.counts.edges).toBe(calls + model.entry.targets.length);
    for (const behaviour of model.behaviours) expect(new Set(behaviour.calls.map((c) => `${c.namespace}/${c.service}`)).size).toBe(behaviour.calls.length);
  });

  it("only calls services of higher rank, so traffic cannot loop", () => {
    const rank = (namespace: string, service: string) => Number(service.slice(4)) * spec.namespaces + Number(namespace.slice(6));
    for (const behaviour of parseCallGraphModel(mesh.model).behaviours) {
      for (const call of behaviour.calls) expect(rank(call.namespace ?? "", call.service)).toBeGreaterThan(rank(behaviour.namespace ?? "", behaviour.app));
    }
  });

  it("labels every Deployment with app and version and gives each subset a version", () => {
    const generated = generateMesh({ namespaces: 2, services: 3, versions: 3, fanout: 2, replicas: 1 }, 1);
    expect(generated.counts.workloads).toBe(18);
    for (const deployment of generated.objects.filter((o) => o.kind === "Deployment")) {
      expect(deployment.metadata.labels).toEqual({ app: expect.stringMatching(/^svc-/), version: expect.stringMatching(/^v[1-3]$/) });
    }
    const rule = generated.objects.find((o) => o.kind === "DestinationRule");
    expect(rule?.spec?.["subsets"]).toEqual([1, 2, 3].map((v) => ({ name: `v${v}`, labels: { version: `v${v}` } })));
  });

  it("is deterministic for a seed and varies with it", () => {
    expect(generateMesh(spec, 42)).toEqual(mesh);
    expect(generateMesh(spec, 43).model).not.toEqual(mesh.model);
  });

  it("runs every Deployment with the replicas asked for, so each proxy is scraped from that many pods", () => {
    const replicated = generateMesh({ namespaces: 2, services: 3, versions: 2, fanout: 2, replicas: 3 }, 1);
    const deployments = replicated.objects.filter((o) => o.kind === "Deployment");
    expect(deployments).toHaveLength(12);
    for (const deployment of deployments) expect(deployment.spec?.["replicas"]).toBe(3);
    expect(parseScaleSpec("replicas=3").replicas).toBe(3);
  });

  it("splits VirtualService weights to 100", () => {
    for (const count of [1, 2, 3, 7]) expect(splitWeights(count).reduce((a, b) => a + b, 0)).toBe(100);
  });
});

describe("--scale parsing", () => {
  it("reads key=value pairs with defaults for the rest", () => {
    expect(parseScaleSpec("namespaces=3,fanout=2")).toEqual({ namespaces: 3, services: 20, versions: 1, fanout: 2, replicas: 1 });
  });

  it.each([
    ["pods=3", /keys namespaces, services, versions, fanout/],
    ["namespaces=two", /namespaces must be an integer/],
    ["versions=0", /versions/],
    ["replicas=11", /replicas/],
  ])("rejects %s with a message naming the setting", (text, message) => {
    expect(() => parseScaleSpec(text)).toThrow(message);
  });
});
