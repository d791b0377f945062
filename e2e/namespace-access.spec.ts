/**
 * Token sign-in for a person whose Kubernetes RBAC covers bookinfo only: data the console serves
 * from its own identity (findings from its watch caches, Prometheus figures, the graph) must stay
 * within bookinfo too. Each test names the attack it tries. A second Kubernetes API emulator with
 * such a user runs next to the demo's, seeded alike, and a token-mode console uses it with the
 * demo's Prometheus.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { startKubeApi, type KubeApi } from "../demo/kube-api";
import { consoleProcess } from "../demo/orchestrate/demo";
import { freePort } from "../demo/orchestrate/ports";
import { waitForHttp } from "../demo/orchestrate/processes";
import { demoEndpoints } from "./demoEndpoints";
import { expect, test } from "./fixtures";

const TOKENS = { admin: "e2e-admin-token-namespace-access", viewer: "e2e-viewer-token-namespace-access", bookinfo: "e2e-bookinfo-team-token" };

let dir: string;
let api: KubeApi;
let consoleUrl: string;
let stopConsole: () => Promise<void>;

test.beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-namespace-access-e2e-"));
  api = await startKubeApi({
    seed: [path.resolve(import.meta.dirname, "..", "demo", "manifests")],
    kubeconfigPath: path.join(dir, "kubeconfig"),
    users: [
      { name: "admin", token: TOKENS.admin, role: "admin" },
      { name: "viewer", token: TOKENS.viewer, role: "viewer" },
      { name: "bookinfo-team", token: TOKENS.bookinfo, role: "viewer", namespaces: ["bookinfo"] },
    ],
  });
  const port = await freePort();
  const child = consoleProcess({
    port,
    mode: "start",
    env: { KUBECONFIG: api.kubeconfigPath ?? "", PROMETHEUS_URL: demoEndpoints().prometheus, MESH_CONSOLE_PORT: String(port), MESH_CONSOLE_AUTH: "token" },
    log: "quiet",
  });
  consoleUrl = `http://127.0.0.1:${port}`;
  stopConsole = () => child.stop();
  await waitForHttp(`${consoleUrl}/api/health`, child, 60_000);
});

test.afterAll(async () => {
  await stopConsole?.();
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function signIn(page: Page, token: string, next: string): Promise<void> {
  await page.goto(`${consoleUrl}${next}`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel("Token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** GET with the browser's session cookie, as the console's own pages would ask. */
async function apiGet(page: Page, url: string): Promise<{ status: number; body: { error?: { message: string }; findings?: { object: { namespace: string } }[] } }> {
  const response = await page.request.get(`${consoleUrl}${url}`);
  return { status: response.status(), body: await response.json() };
}

test.describe("a person limited to bookinfo", () => {
  test("sees bookinfo's graph and golden signals", async ({ page }) => {
    await signIn(page, TOKENS.bookinfo, "/graph?namespaces=bookinfo");
    await expect(page.getByRole("listbox", { name: /Graph nodes/ }).getByRole("option").first()).toBeVisible();

    await page.goto(`${consoleUrl}/services/bookinfo/reviews?window=5m`);
    await expect(page.getByRole("heading", { name: "Service reviews" })).toBeVisible();
    await expect(page.getByTestId("chart-Request volume")).toHaveAttribute("data-has-data", "true");
  });

  test("gets 403 for mesh-lab's traffic (reading another team's namespace through Prometheus-backed routes)", async ({ page }) => {
    await signIn(page, TOKENS.bookinfo, "/");
    for (const url of ["/api/graph?namespaces=mesh-lab", "/api/signals?kind=service&namespace=mesh-lab&name=catalog", "/api/namespace-traffic?namespaces=mesh-lab", "/api/traffic?kind=service&namespaces=mesh-lab"]) {
      const { status, body } = await apiGet(page, url);
      expect(`${url} → ${status}`).toBe(`${url} → 403`);
      expect(body.error?.message).toMatch(/^Your account may not read namespace mesh-lab/);
    }
  });

  test("gets 403 for mesh-lab's findings and none of them among its own (reading another team's findings through the console's watch caches)", async ({ page }) => {
    await signIn(page, TOKENS.admin, "/");
    const everything = await apiGet(page, "/api/validations");
    expect(everything.status).toBe(200);
    // Otherwise there would be nothing to leak and the test would prove nothing.
    expect(everything.body.findings?.some((finding) => finding.object.namespace === "mesh-lab")).toBe(true);

    // Leave the signed-in page first: once its cookie is gone, its own refresh would send it to sign-in mid-navigation.
    await page.goto("about:blank");
    await page.context().clearCookies();
    await signIn(page, TOKENS.bookinfo, "/");
    const refused = await apiGet(page, "/api/validations?namespaces=mesh-lab");
    expect(refused.status).toBe(403);
    expect(refused.body.error?.message).toMatch(/^Your account may not read namespace mesh-lab/);

    const own = await apiGet(page, "/api/validations");
    expect(own.status).toBe(200);
    expect((own.body.findings ?? []).filter((finding) => finding.object.namespace !== "bookinfo")).toEqual([]);
  });
});
