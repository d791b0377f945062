/**
 * Access and hardening against the running demo: each test names the attack it tries. Extra
 * consoles (viewer identity, view-only, token sign-in) run from the same build next to the demo's.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { startKubeApi } from "../demo/kube-api";
import { writeForwardedServiceSeed } from "../demo/kube-api/testing-forward";
import { demoEndpoints } from "./demoEndpoints";
import { consoleWith, demoToken } from "./extraConsoles";
import { expect, test } from "./fixtures";

const CHANGE = { "x-mesh-console": "1", "content-type": "application/json" };
const CATALOG = "/api/istio-config/mesh-lab/VirtualService/catalog";

async function readCatalog(base: string): Promise<{ yaml: string; resourceVersion: string; spec: unknown }> {
  const response = await fetch(`${base}${CATALOG}`);
  expect(response.status).toBe(200);
  const { object } = (await response.json()) as { object: { metadata: { resourceVersion: string }; spec: unknown } };
  return { yaml: JSON.stringify({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "catalog", namespace: "mesh-lab" }, spec: object.spec }), resourceVersion: object.metadata.resourceVersion, spec: object.spec };
}

test.describe("security headers", () => {
  test("pages carry a nonce CSP, no framing, nosniff and no referrer, and still run (XSS, clickjacking)", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto("/");
    const headers = response?.headers() ?? {};
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(headers).toMatchObject({ "x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" });
    // The app hydrated under the policy: client-side navigation works.
    await page.getByRole("navigation").getByRole("link").first().click();
    expect(violations).toEqual([]);
  });

  test("API answers carry them too", async ({ baseURL }) => {
    const response = await fetch(`${baseURL}/api/health`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});

test.describe("input hardening through the real routes", () => {
  const INJECTIONS = ['bookinfo"} or vector(1) or {a="', "bookinfo\",destination_service_namespace=~\".*", "book.*", "book\ninfo", "../bookinfo"];

  test("PromQL injection through namespace, service and workload names answers 400", async ({ baseURL }) => {
    for (const value of INJECTIONS) {
      const v = encodeURIComponent(value);
      const urls = [
        `/api/signals?kind=service&namespace=${v}&name=reviews`,
        `/api/signals?kind=service&namespace=bookinfo&name=${v}`,
        `/api/signals?kind=workload&namespace=bookinfo&name=reviews-v2&byVersion=${v}`,
        `/api/peers?kind=workload&namespace=bookinfo&name=${v}`,
        `/api/traffic?kind=service&namespaces=${v}`,
        `/api/namespace-traffic?namespaces=${v}`,
        `/api/graph?namespaces=${v}`,
        `/api/details?kind=service&namespace=bookinfo&name=${v}`,
        `/api/graph/node-metrics?kind=workload&namespace=bookinfo&name=${v}`,
        `/api/graph/node-metrics?kind=versionedApp&namespace=bookinfo&name=reviews&version=${v}`,
      ];
      for (const url of urls) expect(`${url} → ${(await fetch(`${baseURL}${url}`)).status}`).toBe(`${url} → 400`);
    }
  });

  test("path traversal and URL injection through names on API routes are refused", async ({ baseURL }) => {
    const names = ["..%2F..%2Fapi%2Fv1%2Fsecrets", "reviews%3Fwatch%3Dtrue", "reviews%0D%0AX-Injected:%201", "%2E%2E", "Reviews", "a%00b"];
    for (const name of names) {
      const response = await fetch(`${baseURL}/api/istio-config/bookinfo/VirtualService/${name}`);
      expect(`${name} → ${response.status}`).toMatch(/ → (400|404)$/);
      expect(response.headers.get("x-injected")).toBeNull();
    }
    for (const namespace of ["..%2Fkube-system", "kube-system%2F..", "%252e%252e"]) {
      expect([400, 404]).toContain((await fetch(`${baseURL}/api/istio-config/${namespace}/VirtualService/reviews`)).status);
    }
  });

  test("path traversal and URL injection through names on page routes show not-found, never a server error or a lookup", async ({ page }) => {
    const lookups: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/") && /secrets|%0A|a%3Fb|BOOKINFO|\.\./i.test(request.url())) lookups.push(request.url());
    });
    for (const path of ["/services/bookinfo/..%2F..%2Fsecrets", "/workloads/bookinfo/a%0Ab", "/apps/%2E%2E/reviews", "/istio/bookinfo/VirtualService/a%3Fb", "/services/BOOKINFO/reviews"]) {
      const response = await page.goto(path);
      // The shell streams before the page decides, so the status can be 200; what shows is the not-found page.
      expect(response?.status() ?? 500).toBeLessThan(500);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    }
    expect(lookups).toEqual([]);
  });

  test("a cross-site POST without the same-origin proof is refused with 403 (CSRF)", async ({ baseURL }) => {
    const response = await fetch(`${baseURL}/api/istio-config/mesh-lab/VirtualService`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ yaml: "kind: VirtualService" }) });
    expect(response.status).toBe(403);
  });

  test("a form post from another site's page is refused (CSRF from a browser)", async ({ page, baseURL }) => {
    await page.route("http://attacker.test/", (route) =>
      route.fulfill({ contentType: "text/html", body: `<form method="post" action="${baseURL}/api/istio-config/mesh-lab/VirtualService" enctype="text/plain"><input name='{"yaml":"x","a":"' value='"}'></form><script>document.forms[0].submit()</script>` }),
    );
    const posted = page.waitForResponse((response) => response.url().startsWith(`${baseURL}/api/istio-config/`));
    await page.goto("http://attacker.test/");
    expect((await posted).status()).toBe(403);
  });

  test("an oversized body is refused with 413 (memory exhaustion)", async ({ baseURL }) => {
    const response = await fetch(`${baseURL}/api/istio-config/mesh-lab/VirtualService?dryRun=true`, { method: "POST", headers: CHANGE, body: JSON.stringify({ yaml: "a".repeat(2 * 1024 * 1024) }) });
    expect(response.status).toBe(413);
  });

  test("a YAML billion-laughs document is refused with 400 and nothing is written (alias expansion)", async ({ baseURL }) => {
    const before = await readCatalog(baseURL ?? "");
    const lines = ["apiVersion: networking.istio.io/v1", "kind: VirtualService", "metadata: {name: catalog, namespace: mesh-lab}", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level <= 9; level++) lines.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9).fill(`*${String.fromCharCode(96 + level)}`).join(",")}]`);
    lines.push("spec: {hosts: [catalog], http: [{route: [{destination: {host: catalog}}]}]}");
    const response = await fetch(`${baseURL}${CATALOG}`, { method: "PUT", headers: CHANGE, body: JSON.stringify({ yaml: lines.join("\n"), resourceVersion: before.resourceVersion }) });
    expect(response.status).toBe(400);
    expect((await readCatalog(baseURL ?? "")).resourceVersion).toBe(before.resourceVersion);
  });
});

test.describe("who may change the mesh", () => {
  test("the viewer identity changing route weights gets 403 'your account may not …' and nothing is written (privilege escalation)", async () => {
    const viewer = await consoleWith({ KUBE_CONTEXT: "demo-viewer" });
    try {
      const before = await readCatalog(viewer.url);
      const response = await fetch(`${viewer.url}${CATALOG}`, { method: "PUT", headers: CHANGE, body: JSON.stringify({ yaml: before.yaml.replace('"weight":90', '"weight":50').replace('"weight":10', '"weight":50'), resourceVersion: before.resourceVersion }) });
      expect(response.status).toBe(403);
      const body = (await response.json()) as { error: { message: string; reason: string } };
      expect(body.error.reason).toBe("forbidden");
      expect(body.error.message).toMatch(/^Your account may not /);
      const after = await readCatalog(viewer.url);
      expect(after.resourceVersion).toBe(before.resourceVersion);
      expect(after.spec).toEqual(before.spec);
    } finally {
      await viewer.stop();
    }
  });

  test("--view-only refuses changes even with the admin identity", async () => {
    const viewOnly = await consoleWith({ MESH_CONSOLE_VIEW_ONLY: "true" });
    try {
      const before = await readCatalog(viewOnly.url);
      const response = await fetch(`${viewOnly.url}${CATALOG}`, { method: "PUT", headers: CHANGE, body: JSON.stringify({ yaml: before.yaml, resourceVersion: before.resourceVersion }) });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { reason: string } }).error.reason).toBe("view-only");
      const removal = await fetch(`${viewOnly.url}${CATALOG}?resourceVersion=${before.resourceVersion}`, { method: "DELETE", headers: { "x-mesh-console": "1" } });
      expect(removal.status).toBe(403);
      expect((await readCatalog(viewOnly.url)).resourceVersion).toBe(before.resourceVersion);
    } finally {
      await viewOnly.stop();
    }
  });
});

test.describe("token sign-in", () => {
  test("signs in with a Kubernetes token in the browser; a bad token is refused; the session cookie is HttpOnly and SameSite=Strict", async ({ page }) => {
    const tokenConsole = await consoleWith({ MESH_CONSOLE_AUTH: "token" });
    try {
      expect((await fetch(`${tokenConsole.url}/api/namespaces`)).status).toBe(401);
      await page.goto(`${tokenConsole.url}/services?namespaces=bookinfo`);
      await expect(page).toHaveURL(/\/login\?next=%2Fservices/);

      await page.getByLabel("Token").fill("not-a-token");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.locator(".login-form [role=alert]")).toContainText("did not accept this token");
      expect(await page.context().cookies()).toEqual([]);

      await page.getByLabel("Token").fill(demoToken("demo-viewer"));
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/\/services\?namespaces=bookinfo$/);
      const [cookie] = await page.context().cookies();
      expect(cookie).toMatchObject({ name: "mesh-console-session", httpOnly: true, sameSite: "Strict", secure: false });
      expect(cookie?.value).not.toContain(demoToken("demo-viewer"));
      expect(await page.evaluate(() => document.cookie)).toBe("");

      // The viewer's own token now decides: reading works, changing is refused by Kubernetes RBAC.
      const changed = await page.evaluate(async (catalog) => {
        const read = await (await fetch(catalog)).json();
        const object = read.object;
        const yaml = JSON.stringify({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "catalog", namespace: "mesh-lab" }, spec: object.spec });
        const response = await fetch(catalog, { method: "PUT", headers: { "x-mesh-console": "1", "content-type": "application/json" }, body: JSON.stringify({ yaml, resourceVersion: object.metadata.resourceVersion }) });
        return { status: response.status, body: await response.json() };
      }, CATALOG);
      expect(changed.status).toBe(403);
      expect(changed.body.error.message).toMatch(/^Your account may not /);

      const signedOut = await page.evaluate(async () => (await fetch("/api/auth/logout", { method: "POST", headers: { "x-mesh-console": "1", "content-type": "application/json" }, body: "{}" })).status);
      expect(signedOut).toBe(200);
      expect(await page.evaluate(async () => (await fetch("/api/namespaces")).status)).toBe(401);
    } finally {
      await tokenConsole.stop();
    }
  });
});

test.describe("mesh-console dashboard", () => {
  test("port-forwards through the Kubernetes API to the console's pod and serves /api/health", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-dashboard-e2e-"));
    const consolePort = new URL(demoEndpoints().console).port;
    const api = await startKubeApi({
      seed: [path.resolve(import.meta.dirname, "..", "demo", "manifests", "00-namespaces.yaml"), await writeForwardedServiceSeed(dir, { namespace: "istio-system", name: "mesh-console", port: 20001, forwardTo: `127.0.0.1:${consolePort}` })],
      kubeconfigPath: path.join(dir, "kubeconfig"),
    });
    const bin = path.resolve(import.meta.dirname, "..", "bin", "mesh-console.mjs");
    const child = spawn(process.execPath, [bin, "dashboard", "--browser=false", "--kubeconfig", api.kubeconfigPath ?? ""], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`dashboard exited ${code}: ${stderr}`)));
      });
      const health = await fetch(`${url}/api/health`);
      expect(await health.json()).toEqual({ status: "ok" });
      expect(health.headers.get("x-frame-options")).toBe("DENY");
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      await api.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
