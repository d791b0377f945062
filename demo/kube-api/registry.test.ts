/**
 * The API server's write rules and the controllers, without HTTP in between.
 */
import { describe, expect, it } from "vitest";
import { createCluster } from "./cluster";
import type { KubeObject } from "./object";
import type { Registry, WriteOptions } from "./registry";
import { RESOURCE_TYPES, type ResourceType } from "./resources";
import { ApiError } from "./status";

const write: WriteOptions = { dryRun: false, fieldValidation: "Strict" };

function typeOf(kind: string): ResourceType {
  const type = RESOURCE_TYPES.find((t) => t.kind === kind);
  if (!type) throw new Error(kind);
  return type;
}

const NS = typeOf("Namespace");
const VS = typeOf("VirtualService");
const SVC = typeOf("Service");
const DEPLOY = typeOf("Deployment");
const POD = typeOf("Pod");
const EP = typeOf("Endpoints");

function cluster(): Registry {
  const registry = createCluster();
  registry.create(NS, "v1", undefined, { metadata: { name: "bookinfo", labels: { "istio-injection": "enabled" } } }, write);
  registry.create(NS, "v1", undefined, { metadata: { name: "istio-system" } }, write);
  return registry;
}

function failure(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

const route = (name: string, weight: unknown = 100) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name },
  spec: { hosts: [name], http: [{ route: [{ destination: { host: name }, weight }] }] },
});

function deployment(app: string, version: string, replicas = 1) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: `${app}-${version}` },
    spec: {
      replicas,
      selector: { matchLabels: { app, version } },
      template: { metadata: { labels: { app, version } }, spec: { containers: [{ name: app, image: `${app}:${version}`, ports: [{ containerPort: 9080, name: "http" }] }] } },
    },
  };
}

describe("object metadata", () => {
  it("sets uid, creationTimestamp, generation 1 and an increasing global resourceVersion", () => {
    const registry = cluster();
    const a = registry.create(VS, "v1", "bookinfo", route("reviews"), write).object;
    const b = registry.create(SVC, "v1", "bookinfo", { metadata: { name: "reviews" }, spec: { ports: [{ port: 9080 }] } }, write).object;
    expect(a.metadata.uid).not.toBe(b.metadata.uid);
    expect(a.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(a.metadata.generation).toBe(1);
    expect(b.metadata.generation).toBeUndefined();
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(a.metadata.namespace).toBe("bookinfo");
  });

  it("bumps generation on spec changes only", () => {
    const registry = cluster();
    registry.create(VS, "v1", "bookinfo", route("reviews"), write);
    const labelled = registry.patch(VS, "bookinfo", "reviews", "merge", { metadata: { labels: { team: "a" } } }, write).object;
    expect(labelled.metadata.generation).toBe(1);
    const rerouted = registry.patch(VS, "bookinfo", "reviews", "merge", { spec: { hosts: ["reviews", "reviews.example"] } }, write).object;
    expect(rerouted.metadata.generation).toBe(2);
  });

  it("keeps status on main-resource writes and changes only status through /status", () => {
    const registry = cluster();
    registry.create(VS, "v1", "bookinfo", route("reviews"), write);
    registry.patch(VS, "bookinfo", "reviews", "merge", { status: { observedGeneration: 1 }, spec: { hosts: ["x"] } }, { ...write, subresource: "status" });
    const afterStatus = registry.get(VS, "bookinfo", "reviews");
    expect(afterStatus.status).toEqual({ observedGeneration: 1 });
    expect((afterStatus.spec as { hosts: string[] }).hosts).toEqual(["reviews"]);
    registry.patch(VS, "bookinfo", "reviews", "merge", { status: { observedGeneration: 9 } }, write);
    expect(registry.get(VS, "bookinfo", "reviews").status).toEqual({ observedGeneration: 1 });
  });
});

describe("write rules", () => {
  it("answers 409 AlreadyExists, 409 Conflict and 404 like the API server", () => {
    const registry = cluster();
    const created = registry.create(VS, "v1", "bookinfo", route("reviews"), write).object;
    const exists = failure(() => registry.create(VS, "v1", "bookinfo", route("reviews"), write));
    expect([exists.code, exists.reason]).toEqual([409, "AlreadyExists"]);
    registry.patch(VS, "bookinfo", "reviews", "merge", { spec: { hosts: ["a"] } }, write);
    const stale = failure(() => registry.update(VS, "v1", "bookinfo", "reviews", { ...route("reviews"), metadata: { name: "reviews", resourceVersion: created.metadata.resourceVersion } }, write));
    expect([stale.code, stale.reason]).toEqual([409, "Conflict"]);
    expect(failure(() => registry.get(VS, "bookinfo", "ratings")).message).toBe('virtualservices.networking.istio.io "ratings" not found');
  });

  it("requires a resourceVersion to update a custom resource but not a built-in", () => {
    const registry = cluster();
    registry.create(VS, "v1", "bookinfo", route("reviews"), write);
    const unconditional = failure(() => registry.update(VS, "v1", "bookinfo", "reviews", route("reviews"), write));
    expect(unconditional.code).toBe(422);
    expect(unconditional.details?.causes?.[0]?.field).toBe("metadata.resourceVersion");
    registry.create(SVC, "v1", "bookinfo", { metadata: { name: "reviews" }, spec: { ports: [{ port: 9080 }] } }, write);
    const updated = registry.update(SVC, "v1", "bookinfo", "reviews", { metadata: { name: "reviews", labels: { a: "b" } }, spec: { ports: [{ port: 9080, name: "http" }] } }, write).object;
    expect(updated.metadata.labels).toEqual({ a: "b" });
    expect((updated.spec as { clusterIP: string }).clusterIP).toMatch(/^10\.96\./);
  });

  it("validates names as DNS-1123 subdomains, and Service names as labels", () => {
    const registry = cluster();
    const vs = failure(() => registry.create(VS, "v1", "bookinfo", route("Reviews_V1"), write));
    expect([vs.code, vs.details?.causes?.[0]?.field]).toEqual([422, "metadata.name"]);
    expect(registry.create(VS, "v1", "bookinfo", route("reviews.v1"), write).object.metadata.name).toBe("reviews.v1");
    const svc = failure(() => registry.create(SVC, "v1", "bookinfo", { metadata: { name: "reviews.v1" }, spec: { ports: [{ port: 80 }] } }, write));
    expect(svc.details?.causes?.[0]?.field).toBe("metadata.name");
  });

  it("validates the essentials of built-in kinds", () => {
    const registry = cluster();
    const ports = failure(() => registry.create(SVC, "v1", "bookinfo", { metadata: { name: "two" }, spec: { ports: [{ port: 80 }, { port: 81 }] } }, write));
    expect(ports.details?.causes?.map((c) => c.field)).toEqual(["spec.ports[0].name", "spec.ports[1].name"]);
    const noPorts = failure(() => registry.create(SVC, "v1", "bookinfo", { metadata: { name: "none" }, spec: {} }, write));
    expect(noPorts.details?.causes?.[0]?.field).toBe("spec.ports");
    const bad = deployment("reviews", "v1");
    bad.spec.template.metadata.labels = { app: "other", version: "v1" };
    const selector = failure(() => registry.create(DEPLOY, "v1", "bookinfo", bad, write));
    expect(selector.details?.causes?.[0]?.field).toBe("spec.template.metadata.labels");
    const noTemplate = failure(() => registry.create(DEPLOY, "v1", "bookinfo", { metadata: { name: "x" }, spec: { selector: { matchLabels: { a: "b" } } } }, write));
    expect(noTemplate.details?.causes?.[0]?.field).toBe("spec.template");
  });

  it("prunes unknown fields under Warn and rejects them under Strict", () => {
    const registry = cluster();
    const body = { ...route("reviews"), spec: { ...route("reviews").spec, hostz: ["typo"] } };
    const strict = failure(() => registry.create(VS, "v1", "bookinfo", body, write));
    expect([strict.code, strict.message]).toEqual([400, 'strict decoding error: unknown field "spec.hostz"']);
    const warned = registry.create(VS, "v1", "bookinfo", body, { ...write, fieldValidation: "Warn" });
    expect(warned.warnings).toEqual(['unknown field "spec.hostz"']);
    expect(warned.object.spec).not.toHaveProperty("hostz");
  });

  it("does not store on dry run", () => {
    const registry = cluster();
    const answer = registry.create(VS, "v1", "bookinfo", route("reviews"), { ...write, dryRun: true });
    expect(answer.object.metadata.name).toBe("reviews");
    expect(() => registry.get(VS, "bookinfo", "reviews")).toThrowError(/not found/);
  });

  it("deletes a namespace with everything in it", () => {
    const registry = cluster();
    registry.create(VS, "v1", "bookinfo", route("reviews"), write);
    registry.create(DEPLOY, "v1", "bookinfo", deployment("reviews", "v1"), write);
    registry.delete(NS, undefined, "bookinfo", { dryRun: false });
    expect(registry.store.list(VS, "bookinfo")).toHaveLength(0);
    expect(registry.store.list(POD, "bookinfo")).toHaveLength(0);
  });
});

describe("workload controllers", () => {
  it("runs injected pods for a Deployment in an injected namespace and plain pods elsewhere", () => {
    const registry = cluster();
    registry.create(DEPLOY, "v1", "bookinfo", deployment("reviews", "v2", 2), write);
    registry.create(DEPLOY, "v1", "istio-system", deployment("istiod", "v1"), write);
    const pods = registry.store.list(POD, "bookinfo");
    expect(pods).toHaveLength(2);
    const [first] = pods as KubeObject[];
    expect(first?.metadata.name).toMatch(/^reviews-v2-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(first?.metadata.labels).toMatchObject({
      app: "reviews",
      version: "v2",
      "security.istio.io/tlsMode": "istio",
      "service.istio.io/canonical-name": "reviews",
      "service.istio.io/canonical-revision": "v2",
    });
    expect(first?.metadata.labels?.["pod-template-hash"]).toHaveLength(10);
    const containers = (first?.spec as { containers: { name: string; image: string }[] }).containers;
    expect(containers.map((c) => c.name)).toEqual(["reviews", "istio-proxy"]);
    expect(containers[1]?.image).toBe("docker.io/istio/proxyv2:1.24.2");
    const status = first?.status as { phase: string; containerStatuses: { ready: boolean }[] };
    expect(status.phase).toBe("Running");
    expect(status.containerStatuses.every((c) => c.ready)).toBe(true);

    const controlPlane = registry.store.list(POD, "istio-system")[0];
    expect((controlPlane?.spec as { containers: unknown[] }).containers).toHaveLength(1);
    expect(controlPlane?.metadata.labels).not.toHaveProperty("security.istio.io/tlsMode");
  });

  it("scales pods with spec.replicas and keeps Endpoints in step", () => {
    const registry = cluster();
    registry.create(SVC, "v1", "bookinfo", { metadata: { name: "reviews" }, spec: { selector: { app: "reviews" }, ports: [{ name: "http", port: 9080, targetPort: "http" }] } }, write);
    registry.create(DEPLOY, "v1", "bookinfo", deployment("reviews", "v1"), write);
    const endpoints = () => (registry.get(EP, "bookinfo", "reviews").subsets as { addresses: unknown[]; ports: { port: number }[] }[])[0];
    expect(endpoints()?.addresses).toHaveLength(1);
    expect(endpoints()?.ports[0]?.port).toBe(9080);
    registry.patch(DEPLOY, "bookinfo", "reviews-v1", "merge", { spec: { replicas: 3 } }, write);
    expect(registry.store.list(POD, "bookinfo")).toHaveLength(3);
    expect(endpoints()?.addresses).toHaveLength(3);
    const deploymentStatus = registry.get(DEPLOY, "bookinfo", "reviews-v1").status as { readyReplicas: number };
    expect(deploymentStatus.readyReplicas).toBe(3);
    registry.patch(DEPLOY, "bookinfo", "reviews-v1", "merge", { spec: { replicas: 0 } }, write);
    expect(registry.get(EP, "bookinfo", "reviews").subsets).toEqual([]);
  });

  it("gives every namespace its default ServiceAccount", () => {
    const registry = cluster();
    expect(registry.store.get(typeOf("ServiceAccount"), "bookinfo", "default")).toBeDefined();
  });
});
