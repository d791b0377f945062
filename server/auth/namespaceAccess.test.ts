/**
 * Namespace scoping for data the console serves from its own identity (watch caches, Prometheus),
 * against the Kubernetes API emulator with a person limited to bookinfo by "RoleBindings".
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { KubeError, type KubeClients } from "@/server/kube";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { ACCESS_TTL_MS, intersectNamespaces, NamespaceAccess } from "./namespaceAccess";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const TOKENS = { admin: "admin-token-namespace-access", viewer: "viewer-token-namespace-access", bookinfo: "bookinfo-team-token", nowhere: "nowhere-team-token" };
const ORIGIN = "http://127.0.0.1:20001";
const noParams = { params: Promise.resolve({}) };

let api: KubeApi;
let dir: string;
let admin: KubeClients;
const calls: string[] = [];
/** The access checks' own calls (all `limit=1`), not the console's watch caches'. */
const probes = () => calls.filter((call) => call.includes("limit=1"));
let routes: { login: Handler; validations: Handler; signals: Handler; graph: Handler; controlPlane: Handler; nodeMetrics: Handler; namespaces: Handler };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mesh-console-namespace-access-"));
  api = await startKubeApi({
    seed: [DEMO_MANIFESTS],
    kubeconfigPath: path.join(dir, "kubeconfig"),
    users: [
      { name: "admin", token: TOKENS.admin, role: "admin" },
      { name: "viewer", token: TOKENS.viewer, role: "viewer" },
      { name: "bookinfo-team", token: TOKENS.bookinfo, role: "viewer", namespaces: ["bookinfo"] },
      { name: "nowhere-team", token: TOKENS.nowhere, role: "viewer", namespaces: ["retired-team"] },
    ],
    onRequest: (method, url) => calls.push(`${method} ${url}`),
  });
  admin = clientsFor(api.url, TOKENS.admin);
  process.env.KUBECONFIG = api.kubeconfigPath;
  process.env.MESH_CONSOLE_AUTH = "token";
  // Nothing listens here: a route that reached Prometheus would fail with 502/503, not 403.
  process.env.PROMETHEUS_URL = "http://127.0.0.1:9";
  routes = {
    login: (await import("@/app/api/auth/login/route")).POST as Handler,
    validations: (await import("@/app/api/validations/route")).GET as Handler,
    signals: (await import("@/app/api/signals/route")).GET as Handler,
    graph: (await import("@/app/api/graph/route")).GET as Handler,
    controlPlane: (await import("@/app/api/control-plane/route")).GET as Handler,
    nodeMetrics: (await import("@/app/api/graph/node-metrics/route")).GET as Handler,
    namespaces: (await import("@/app/api/namespaces/route")).GET as Handler,
  };
});

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  calls.length = 0;
});

function accessWithClock(start = 1_000_000) {
  const clock = { now: start };
  const access = new NamespaceAccess({ consoleClients: () => admin, now: () => clock.now });
  return { access, clock };
}

describe("what a person may read", () => {
  it("allows everything, with one call, to a token that may list pods in all namespaces", async () => {
    const { access } = accessWithClock();
    expect(await access.allowed(clientsFor(api.url, TOKENS.viewer))).toEqual({ all: true });
    expect(probes()).toEqual(["GET /api/v1/pods?limit=1"]);
  });

  it("finds only bookinfo for a token bound to bookinfo alone, which may not even list namespaces", async () => {
    const { access } = accessWithClock();
    const allowed = await access.allowed(clientsFor(api.url, TOKENS.bookinfo));
    expect(allowed).toEqual({ all: false, namespaces: new Set(["bookinfo"]) });
  });

  it("reuses the answer for a session for 30 s, shares a check in flight, then asks Kubernetes again", async () => {
    const { access, clock } = accessWithClock();
    const person = clientsFor(api.url, TOKENS.bookinfo);
    const [first, second] = await Promise.all([access.allowed(person), access.allowed(person)]);
    expect(second).toBe(first);
    const callsForOneCheck = probes().length;
    expect(callsForOneCheck).toBeGreaterThan(0);

    clock.now += ACCESS_TTL_MS - 1;
    await access.allowed(person);
    expect(probes().length).toBe(callsForOneCheck);

    clock.now += 1;
    await access.allowed(person);
    expect(probes().length).toBe(2 * callsForOneCheck);
  });

  it("keeps sessions apart: another person's answer is never reused", async () => {
    const { access } = accessWithClock();
    expect(await access.allowed(clientsFor(api.url, TOKENS.viewer))).toEqual({ all: true });
    expect((await access.allowed(clientsFor(api.url, TOKENS.bookinfo))).all).toBe(false);
  });

  it("does not remember a failed check: the next request asks again", async () => {
    const { access } = accessWithClock();
    const unreachable = clientsFor("http://127.0.0.1:9", TOKENS.bookinfo, 2000);
    await expect(access.allowed(unreachable)).rejects.toThrow(/could not be reached/);
    await expect(access.allowed(unreachable)).rejects.toThrow(/could not be reached/);
  });
});

describe("intersecting a request with what is allowed", () => {
  const bookinfoOnly = { all: false, namespaces: new Set(["bookinfo"]) } as const;

  it("turns 'all namespaces' into the allowed ones, and leaves it alone for someone allowed everything", () => {
    expect(intersectNamespaces([], bookinfoOnly)).toEqual(["bookinfo"]);
    expect(intersectNamespaces([], { all: true })).toEqual([]);
    expect(intersectNamespaces(["mesh-lab"], { all: true })).toEqual(["mesh-lab"]);
  });

  it("refuses another team's namespace by name instead of silently dropping it (reading another team's namespace)", () => {
    expect(intersectNamespaces(["bookinfo"], bookinfoOnly)).toEqual(["bookinfo"]);
    const refuse = () => intersectNamespaces(["bookinfo", "mesh-lab"], bookinfoOnly);
    expect(refuse).toThrow(KubeError);
    expect(refuse).toThrow(/^Your account may not read namespace mesh-lab:/);
  });

  it("never lets 'no namespace allowed' become 'all namespaces' (an empty allowed list read as no filter)", () => {
    expect(() => intersectNamespaces([], { all: false, namespaces: new Set() })).toThrow(/may not read any namespace/);
  });
});

describe("routes served from the console's own identity, for a person limited to bookinfo", () => {
  async function signIn(token: string): Promise<string> {
    const response = await routes.login(new Request(`${ORIGIN}/api/auth/login`, { method: "POST", headers: { "x-mesh-console": "1", "content-type": "application/json" }, body: JSON.stringify({ token }) }), noParams);
    expect(response.status).toBe(200);
    return (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  }
  const get = (handler: Handler, pathAndQuery: string, cookie: string) => handler(new Request(`${ORIGIN}${pathAndQuery}`, { headers: { cookie } }), noParams);
  type Findings = { findings: { object: { namespace: string } }[] };

  it("filters findings to bookinfo and refuses mesh-lab's with 403 (reading another team's findings through the console's watch caches)", async () => {
    const adminCookie = await signIn(TOKENS.admin);
    const everything = (await (await get(routes.validations, "/api/validations", adminCookie)).json()) as Findings;
    // The attack is only meaningful if mesh-lab has findings to leak.
    expect(everything.findings.some((finding) => finding.object.namespace === "mesh-lab")).toBe(true);

    const cookie = await signIn(TOKENS.bookinfo);
    const refused = await get(routes.validations, "/api/validations?namespaces=mesh-lab", cookie);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/^Your account may not read namespace mesh-lab/);

    const own = await get(routes.validations, "/api/validations", cookie);
    expect(own.status).toBe(200);
    const namespaces = new Set(((await own.json()) as Findings).findings.map((finding) => finding.object.namespace));
    expect([...namespaces].filter((namespace) => namespace !== "bookinfo")).toEqual([]);
  });

  it("refuses mesh-lab's traffic figures with 403 before asking Prometheus (reading another team's namespace through Prometheus-backed routes)", async () => {
    const cookie = await signIn(TOKENS.bookinfo);
    for (const [handler, url] of [
      [routes.signals, "/api/signals?kind=service&namespace=mesh-lab&name=catalog"],
      [routes.graph, "/api/graph?namespaces=bookinfo,mesh-lab"],
      [routes.nodeMetrics, "/api/graph/node-metrics?kind=service&namespace=mesh-lab&name=catalog"],
      [routes.nodeMetrics, "/api/graph/node-metrics?kind=external&namespace=&name=api.example.com"],
      [routes.controlPlane, "/api/control-plane"],
    ] as const) {
      const response = await get(handler, url, cookie);
      expect(`${url} → ${response.status}`).toBe(`${url} → 403`);
    }
  });

  it("lists only bookinfo in the namespace pickers, though the token may not list namespaces itself", async () => {
    const cookie = await signIn(TOKENS.bookinfo);
    const response = await get(routes.namespaces, "/api/namespaces", cookie);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { namespaces: { name: string }[] }).namespaces.map((namespace) => namespace.name)).toEqual(["bookinfo"]);
  });

  it("refuses every namespace's figures to a person allowed in none (an empty allowed list read as 'all')", async () => {
    const cookie = await signIn(TOKENS.nowhere);
    expect((await get(routes.validations, "/api/validations", cookie)).status).toBe(403);
    // Nor does the namespace list fall back to the console's: Kubernetes' own 403 stands.
    expect((await get(routes.namespaces, "/api/namespaces", cookie)).status).toBe(403);
  });
});
