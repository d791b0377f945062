/**
 * Token sign-in and the request guard through the console's real route handlers, against the
 * Kubernetes API emulator: Kubernetes RBAC (the emulator's viewer role) decides what a signed-in
 * person may do, and the console adds its own refusals in front.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";
import type { KubeClients } from "@/server/kube";
import { createAuthState, MUTATION_BURST } from "./state";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const VS = { group: "networking.istio.io", version: "v1", plural: "virtualservices", namespace: "mesh-lab", name: "catalog" };
const ORIGIN = "http://127.0.0.1:20001";
const SAME_ORIGIN = { "x-mesh-console": "1", "content-type": "application/json" };

let api: KubeApi;
let dir: string;
let admin: KubeClients;
let routes: { login: Handler; logout: Handler; namespaces: Handler; object: { GET: Handler; PUT: Handler }; create: Handler };
let resetAuthState: () => unknown;

const noParams = { params: Promise.resolve({}) };
const catalogParams = { params: Promise.resolve({ namespace: "mesh-lab", kind: "VirtualService", name: "catalog" }) };

function post(pathname: string, body: unknown, headers: Record<string, string> = SAME_ORIGIN): Request {
  return new Request(`${ORIGIN}${pathname}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function signIn(token: string): Promise<string> {
  const response = await routes.login(post("/api/auth/login", { token }), noParams);
  expect(response.status).toBe(200);
  const cookie = response.headers.get("set-cookie") ?? "";
  return cookie.split(";")[0] ?? "";
}

async function readCatalog(): Promise<{ metadata: { resourceVersion: string }; spec: unknown }> {
  return (await admin.custom.getNamespacedCustomObject(VS)) as { metadata: { resourceVersion: string }; spec: unknown };
}

function putCatalog(cookie: string, yaml: string, resourceVersion: string, extraHeaders: Record<string, string> = {}): Promise<Response> {
  return routes.object.PUT(
    new Request(`${ORIGIN}/api/istio-config/mesh-lab/VirtualService/catalog`, { method: "PUT", headers: { ...SAME_ORIGIN, cookie, ...extraHeaders }, body: JSON.stringify({ yaml, resourceVersion }) }),
    catalogParams,
  );
}

async function catalogWithWeights(weights: [number, number]): Promise<{ yaml: string; resourceVersion: string }> {
  const current = (await readCatalog()) as { metadata: { resourceVersion: string; [key: string]: unknown }; spec: { http: { route: { weight?: number }[] }[] } };
  const object = structuredClone(current) as typeof current & { apiVersion?: string; kind?: string };
  const route = object.spec.http[0]?.route ?? [];
  route.forEach((destination, index) => (destination.weight = weights[index] ?? 0));
  return { yaml: stringify({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "catalog", namespace: "mesh-lab" }, spec: object.spec }), resourceVersion: current.metadata.resourceVersion };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mesh-console-auth-"));
  api = await startKubeApi({ seed: [DEMO_MANIFESTS], kubeconfigPath: path.join(dir, "kubeconfig") });
  admin = clientsFor(api.url, api.tokens.admin);
  process.env.KUBECONFIG = api.kubeconfigPath;
  process.env.MESH_CONSOLE_AUTH = "token";
  const objectRoute = await import("@/app/api/istio-config/[namespace]/[kind]/[name]/route");
  routes = {
    login: (await import("@/app/api/auth/login/route")).POST as Handler,
    logout: (await import("@/app/api/auth/logout/route")).POST as Handler,
    namespaces: (await import("@/app/api/namespaces/route")).GET as Handler,
    object: { GET: objectRoute.GET as Handler, PUT: objectRoute.PUT as Handler },
    create: (await import("@/app/api/istio-config/[namespace]/[kind]/route")).POST as Handler,
  };
  resetAuthState = (await import("./state")).resetAuthState;
});

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => resetAuthState());

describe("token sign-in", () => {
  it("refuses a bad token (guessing a token) and sets no cookie", async () => {
    const response = await routes.login(post("/api/auth/login", { token: "not-a-real-token" }), noParams);
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect((await response.json()).error.message).toContain("did not accept this token");
  });

  it("refuses a sign-in posted by another site without the same-origin proof (login CSRF)", async () => {
    const response = await routes.login(post("/api/auth/login", { token: api.tokens.admin }, { "content-type": "application/json" }), noParams);
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("refuses a token with a newline meant to inject a header (header injection)", async () => {
    const response = await routes.login(post("/api/auth/login", { token: `${api.tokens.admin}\r\nX-Evil: 1` }), noParams);
    expect(response.status).toBe(400);
  });

  it("issues an HttpOnly, SameSite=Strict session cookie and never returns the token", async () => {
    const response = await routes.login(post("/api/auth/login", { token: api.tokens.viewer }), noParams);
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie()[0] ?? "";
    // The session is sealed (JWE: header..iv.ciphertext.tag), so the token is in it but not readable.
    expect(cookie).toMatch(/^mesh-console-session=[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(cookie).not.toContain(api.tokens.viewer);
    expect(await response.text()).not.toContain(api.tokens.viewer);
  });

  it("marks the cookie Secure behind a TLS-terminating proxy", async () => {
    const response = await routes.login(post("/api/auth/login", { token: api.tokens.viewer }, { ...SAME_ORIGIN, "x-forwarded-proto": "https" }), noParams);
    expect(response.headers.get("set-cookie")).toContain("; Secure");
  });

  it("answers 401 without a session or with a forged one (session forgery)", async () => {
    expect((await routes.namespaces(new Request(`${ORIGIN}/api/namespaces`), noParams)).status).toBe(401);
    const forged = `mesh-console-session=${"A".repeat(43)}`;
    expect((await routes.namespaces(new Request(`${ORIGIN}/api/namespaces`, { headers: { cookie: forged } }), noParams)).status).toBe(401);
  });

  it("reads with the session's token, and signing out ends the session", async () => {
    const cookie = await signIn(api.tokens.viewer);
    const response = await routes.namespaces(new Request(`${ORIGIN}/api/namespaces`, { headers: { cookie } }), noParams);
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain("bookinfo");
    const logout = await routes.logout(post("/api/auth/logout", {}, { ...SAME_ORIGIN, cookie }), noParams);
    expect(logout.headers.get("set-cookie")).toContain("Max-Age=0");
    // The browser's copy is cleared, and a copy kept from before sign-out is refused too.
    expect((await routes.namespaces(new Request(`${ORIGIN}/api/namespaces`, { headers: { cookie } }), noParams)).status).toBe(401);
  });

  it("a session survives the console forgetting everything in memory (a restart, or another replica)", async () => {
    const cookie = await signIn(api.tokens.viewer);
    resetAuthState();
    const response = await routes.namespaces(new Request(`${ORIGIN}/api/namespaces`, { headers: { cookie } }), noParams);
    expect(response.status).toBe(200);
  });
});

describe("Kubernetes RBAC decides through the person's token", () => {
  it("the viewer changing route weights gets 403 'your account may not …' and nothing is written (privilege escalation)", async () => {
    const cookie = await signIn(api.tokens.viewer);
    const before = await readCatalog();
    const change = await catalogWithWeights([10, 90]);
    const response = await putCatalog(cookie, change.yaml, change.resourceVersion);
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.error.reason).toBe("forbidden");
    expect(body.error.message).toMatch(/^Your account may not /);
    const after = await readCatalog();
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.spec).toEqual(before.spec);
  });

  it("the admin's session may change the same object (the refusal above came from RBAC, not from the console)", async () => {
    const cookie = await signIn(api.tokens.admin);
    const change = await catalogWithWeights([20, 80]);
    const response = await putCatalog(cookie, change.yaml, change.resourceVersion);
    expect(response.status).toBe(200);
    expect(JSON.stringify((await readCatalog()).spec)).toContain('"weight":80');
  });
});

describe("hardening of changes", () => {
  it("refuses a cross-site POST without the same-origin proof (CSRF) with 403", async () => {
    const cookie = await signIn(api.tokens.admin);
    const response = await routes.create(post("/api/istio-config/bookinfo/VirtualService", { yaml: "x: 1" }, { "content-type": "text/plain", cookie }), { params: Promise.resolve({ namespace: "bookinfo", kind: "VirtualService" }) });
    expect(response.status).toBe(403);
  });

  it("refuses a request the browser marks as cross-site even with the header (CSRF via a permissive proxy)", async () => {
    const cookie = await signIn(api.tokens.admin);
    const change = await catalogWithWeights([30, 70]);
    const response = await putCatalog(cookie, change.yaml, change.resourceVersion, { "sec-fetch-site": "cross-site" });
    expect(response.status).toBe(403);
  });

  it("refuses an oversized body (memory exhaustion) with 413 before reading it", async () => {
    const cookie = await signIn(api.tokens.admin);
    const huge = JSON.stringify({ yaml: "a".repeat(1_200_000), resourceVersion: "1" });
    const response = await routes.object.PUT(
      new Request(`${ORIGIN}/api/istio-config/mesh-lab/VirtualService/catalog`, { method: "PUT", headers: { ...SAME_ORIGIN, cookie, "content-length": String(huge.length) }, body: huge }),
      catalogParams,
    );
    expect(response.status).toBe(413);
  });

  it("refuses a YAML billion-laughs document (alias expansion) with 400 and writes nothing", async () => {
    const cookie = await signIn(api.tokens.admin);
    const before = await readCatalog();
    const laughs = ["apiVersion: networking.istio.io/v1", "kind: VirtualService", "metadata: {name: catalog, namespace: mesh-lab}", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level <= 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      laughs.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(",")}]`);
    }
    laughs.push("spec: {hosts: [catalog], http: [{route: [{destination: {host: catalog}}]}]}");
    const response = await putCatalog(cookie, laughs.join("\n"), before.metadata.resourceVersion);
    expect(response.status).toBe(400);
    expect((await readCatalog()).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it("rate-limits changes per session with 429 and Retry-After (change flooding), leaving other sessions alone", async () => {
    // A stopped clock: no refill during the loop, so the count is exact.
    const frozen = Date.now();
    (await import("./state")).resetAuthState(createAuthState(() => frozen));
    const flooder = await signIn(api.tokens.admin);
    const statuses: number[] = [];
    for (let i = 0; i < MUTATION_BURST + 5; i++) {
      const response = await routes.create(post("/api/istio-config/bookinfo/VirtualService", "{not json", { ...SAME_ORIGIN, cookie: flooder }), { params: Promise.resolve({ namespace: "bookinfo", kind: "VirtualService" }) });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses.slice(0, MUTATION_BURST).every((status) => status === 400)).toBe(true);
    expect(statuses.slice(MUTATION_BURST).every((status) => status === 429)).toBe(true);
    const other = await signIn(api.tokens.admin);
    const response = await routes.create(post("/api/istio-config/bookinfo/VirtualService", "{not json", { ...SAME_ORIGIN, cookie: other }), { params: Promise.resolve({ namespace: "bookinfo", kind: "VirtualService" }) });
    expect(response.status).toBe(400);
  });
});
