/**
 * The HTTP protocol directly: discovery, status codes, tables, warnings, fault injection and
 * filtered watches.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "./index";

let api: KubeApi;

beforeAll(async () => {
  api = await startKubeApi({ seed: [path.resolve(__dirname, "../manifests")] });
});

afterAll(async () => {
  await api?.close();
});

async function call(method: string, urlPath: string, options: { body?: unknown; contentType?: string; token?: string | null; accept?: string } = {}) {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? api.tokens.admin : options.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["Content-Type"] = options.contentType ?? "application/json";
  if (options.accept) headers.Accept = options.accept;
  const res = await fetch(`${api.url}${urlPath}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const VS_PATH = "/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices";

describe("discovery", () => {
  it("lists the Istio resources with kubectl's short names and categories", async () => {
    const list = await call("GET", "/apis/networking.istio.io/v1beta1");
    const resources = list.body.resources as { name: string; kind: string; shortNames?: string[]; categories?: string[]; namespaced: boolean; verbs: string[] }[];
    const vs = resources.find((r) => r.name === "virtualservices");
    expect(vs).toMatchObject({ kind: "VirtualService", shortNames: ["vs"], categories: ["istio-io", "networking-istio-io"], namespaced: true });
    expect(vs?.verbs).toEqual(expect.arrayContaining(["get", "list", "watch", "create", "update", "patch", "delete"]));
    expect(resources.find((r) => r.name === "serviceentries")?.shortNames).toEqual(["se"]);
    const core = (await call("GET", "/api/v1")).body.resources as { name: string; shortNames?: string[] }[];
    expect(Object.fromEntries(core.filter((r) => r.shortNames).map((r) => [r.name, r.shortNames?.[0]]))).toEqual({
      namespaces: "ns",
      services: "svc",
      pods: "po",
      endpoints: "ep",
      serviceaccounts: "sa",
      configmaps: "cm",
    });
    const groups = (await call("GET", "/apis")).body.groups as { name: string; preferredVersion: { version: string } }[];
    expect(groups.map((g) => g.name)).toEqual([
      "apps",
      "authentication.k8s.io",
      "authorization.k8s.io",
      "autoscaling",
      "networking.k8s.io",
      "policy",
      "rbac.authorization.k8s.io",
      "apiextensions.k8s.io",
      "coordination.k8s.io",
      "gateway.networking.k8s.io",
      "networking.istio.io",
      "security.istio.io",
    ]);
    expect(groups.find((g) => g.name === "networking.istio.io")?.preferredVersion.version).toBe("v1");
  });
});

describe("status codes", () => {
  it("lets anyone read /version but nothing else without a token", async () => {
    expect((await call("GET", "/version", { token: null })).status).toBe(200);
    const denied = await call("GET", "/api/v1/namespaces", { token: null });
    expect(denied.status).toBe(401);
    expect(denied.body).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Unauthorized", code: 401 });
  });

  it("answers 405 for a verb the path does not take and 404 for unknown resources", async () => {
    const post = await call("POST", `${VS_PATH}/bookinfo`, { body: {} });
    expect([post.status, post.body.reason]).toEqual([405, "MethodNotAllowed"]);
    expect((await call("GET", "/apis/networking.istio.io/v1/namespaces/bookinfo/envoyfilters")).status).toBe(404);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const res = await fetch(`${api.url}${VS_PATH}`, { method: "POST", headers: { Authorization: `Bearer ${api.tokens.admin}`, "Content-Type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { reason: string }).reason).toBe("BadRequest");
  });

  it("warns about unknown fields when the client does not ask for strict validation", async () => {
    const res = await call("POST", `${VS_PATH}?fieldValidation=Warn`, {
      body: { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "warned" }, spec: { hosts: ["x"], hostz: ["y"] } },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("warning")).toBe('299 - "unknown field \\"spec.hostz\\""');
    expect(res.body.spec).toEqual({ hosts: ["x"] });
  });
});

describe("tables for kubectl", () => {
  it("renders pods with readiness and status columns", async () => {
    const table = await call("GET", "/api/v1/namespaces/bookinfo/pods?labelSelector=app%3Dproductpage", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" });
    expect(table.body.kind).toBe("Table");
    const columns = (table.body.columnDefinitions as { name: string }[]).map((c) => c.name);
    expect(columns.slice(0, 4)).toEqual(["Name", "Ready", "Status", "Restarts"]);
    const rows = table.body.rows as { cells: unknown[]; object: { kind: string } }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.cells.slice(1, 3)).toEqual(["2/2", "Running"]);
    expect(rows[0]?.object.kind).toBe("PartialObjectMetadata");
  });
});

describe("fault injection", () => {
  it("fails the second of two writes to a resource when asked in-process", async () => {
    api.failNextWrite({ resource: "virtualservices", namespace: "bookinfo", name: "bookinfo", verb: "patch", status: 409, skip: 1 });
    const patch = () => call("PATCH", `${VS_PATH}/bookinfo`, { body: { metadata: { labels: { fault: String(Date.now()) } } }, contentType: "application/merge-patch+json" });
    expect((await patch()).status).toBe(200);
    const second = await patch();
    expect([second.status, second.body.reason]).toEqual([409, "Conflict"]);
    expect((await patch()).status).toBe(200);
  });

  it("arms a fault over HTTP for the admin only", async () => {
    const fault = { resource: "virtualservices", name: "bookinfo", status: 503, message: "etcdserver: leader changed" };
    expect((await call("POST", "/emulator/fail-next-write", { body: fault, token: api.tokens.viewer })).status).toBe(403);
    expect((await call("POST", "/emulator/fail-next-write", { body: { status: 503 } })).status).toBe(400);
    expect((await call("POST", "/emulator/fail-next-write", { body: fault })).status).toBe(201);
    const failed = await call("PATCH", `${VS_PATH}/bookinfo`, { body: { metadata: { labels: { fault: "http" } } }, contentType: "application/merge-patch+json" });
    expect([failed.status, failed.body.reason, failed.body.message]).toEqual([503, "ServiceUnavailable", "etcdserver: leader changed"]);
  });
});

describe("filtered watches", () => {
  it("turns an object leaving the label selector into DELETED and one entering into ADDED", async () => {
    const list = await call("GET", "/api/v1/namespaces/bookinfo/services");
    const rv = (list.body.metadata as { resourceVersion: string }).resourceVersion;
    const controller = new AbortController();
    const res = await fetch(`${api.url}/api/v1/namespaces/bookinfo/services?watch=1&labelSelector=tier%3Dfront&resourceVersion=${rv}`, {
      headers: { Authorization: `Bearer ${api.tokens.admin}` },
      signal: controller.signal,
    });
    const label = (tier: string | null) =>
      call("PATCH", "/api/v1/namespaces/bookinfo/services/details", { body: { metadata: { labels: { tier } } }, contentType: "application/merge-patch+json" });
    await label("front");
    await label("back");
    const reader = res.body?.getReader();
    let text = "";
    while (reader && text.split("\n").filter(Boolean).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const events = text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string } } });
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED details", "DELETED details"]);
  });
});
