/**
 * Token sign-in for a person whose Kubernetes RBAC covers bookinfo only: data the console serves
 * from its own identity (findings from its watch caches, Prometheus figures, the graph) must stay
 * within bookinfo too, whatever the request says: the check follows what a route reads. Each test
 * names the attack it tries. A second Kubernetes API emulator with such a user runs next to the
 * demo's, seeded alike, and a token-mode console uses it with the demo's Prometheus.
 */
import type { Page } from "@playwright/test";
import { signInAt, TEAM_TOKENS, teamConsole, type TeamConsole } from "./extraConsoles";
import { expect, test } from "./fixtures";

const TOKENS = TEAM_TOKENS;

let team: TeamConsole;
let consoleUrl: string;

test.beforeAll(async () => {
  team = await teamConsole();
  consoleUrl = team.url;
});

test.afterAll(async () => {
  await team?.stop();
});

const signIn = (page: Page, token: string, next: string) => signInAt(page, consoleUrl, token, next);

/** The parts of the routes' answers these tests read. */
interface ApiBody {
  error?: { message: string };
  findings?: { object: { namespace: string } }[];
  requestsPerSecond?: [number, number | null][];
}

/** GET with the browser's session cookie, as the console's own pages would ask. */
async function apiGet(page: Page, url: string): Promise<{ status: number; body: ApiBody & Record<string, unknown> }> {
  const response = await page.request.get(`${consoleUrl}${url}`);
  return { status: response.status(), body: await response.json() };
}

async function switchTo(page: Page, token: string): Promise<void> {
  // Leave the signed-in page first: once its cookie is gone, its own refresh would send it to sign-in mid-navigation.
  await page.goto("about:blank");
  await page.context().clearCookies();
  await signIn(page, token, "/");
}

/** Requests per second summed over a node-metrics answer's points. */
const requestsIn = (body: ApiBody) => (body.requestsPerSecond ?? []).reduce((sum, [, value]) => sum + (value ?? 0), 0);

/** The namespaces a list answer's items are in. */
function namespacesOf(items: unknown): string[] {
  return [...new Set((items as { namespace: string }[]).map((item) => item.namespace))].sort();
}

/** Every data route, for bookinfo and for mesh-lab: what the issue lists (graph, node metrics, signals, peers, lists, traffic, canary, validations, config). */
const DATA_ROUTES: { route: string; bookinfo: string; meshLab: string }[] = [
  { route: "graph", bookinfo: "/api/graph?namespaces=bookinfo", meshLab: "/api/graph?namespaces=bookinfo,mesh-lab" },
  { route: "node metrics of a service", bookinfo: "/api/graph/node-metrics?kind=service&namespace=bookinfo&name=reviews", meshLab: "/api/graph/node-metrics?kind=service&namespace=mesh-lab&name=catalog" },
  { route: "node metrics of a workload", bookinfo: "/api/graph/node-metrics?kind=workload&namespace=bookinfo&name=reviews-v2", meshLab: "/api/graph/node-metrics?kind=workload&namespace=mesh-lab&name=catalog-v1" },
  { route: "node metrics of an app", bookinfo: "/api/graph/node-metrics?kind=app&namespace=bookinfo&name=reviews", meshLab: "/api/graph/node-metrics?kind=app&namespace=mesh-lab&name=catalog" },
  { route: "node metrics of a versioned app", bookinfo: "/api/graph/node-metrics?kind=versionedApp&namespace=bookinfo&name=reviews&version=v2", meshLab: "/api/graph/node-metrics?kind=versionedApp&namespace=mesh-lab&name=catalog&version=v1" },
  { route: "node metrics of a gateway", bookinfo: "/api/graph/node-metrics?kind=gateway&namespace=istio-system&name=istio-ingressgateway&namespaces=bookinfo", meshLab: "/api/graph/node-metrics?kind=gateway&namespace=mesh-lab&name=istio-ingressgateway" },
  { route: "node metrics of an external host", bookinfo: "/api/graph/node-metrics?kind=external&namespace=&name=api.example.com&namespaces=bookinfo", meshLab: "/api/graph/node-metrics?kind=external&namespace=mesh-lab&name=api.example.com" },
  { route: "signals", bookinfo: "/api/signals?kind=service&namespace=bookinfo&name=reviews&byVersion=true", meshLab: "/api/signals?kind=service&namespace=mesh-lab&name=catalog" },
  { route: "peers", bookinfo: "/api/peers?kind=workload&namespace=bookinfo&name=reviews-v2", meshLab: "/api/peers?kind=workload&namespace=mesh-lab&name=catalog-v1" },
  { route: "traffic", bookinfo: "/api/traffic?kind=service", meshLab: "/api/traffic?kind=service&namespaces=mesh-lab" },
  { route: "namespace traffic", bookinfo: "/api/namespace-traffic", meshLab: "/api/namespace-traffic?namespaces=mesh-lab" },
  { route: "canary analysis", bookinfo: "/api/namespaces/bookinfo/services/reviews/canary-analysis", meshLab: "/api/namespaces/mesh-lab/services/catalog/canary-analysis" },
  { route: "services", bookinfo: "/api/services", meshLab: "/api/services?namespaces=mesh-lab" },
  { route: "workloads", bookinfo: "/api/workloads", meshLab: "/api/workloads?namespaces=mesh-lab" },
  { route: "apps", bookinfo: "/api/apps", meshLab: "/api/apps?namespaces=mesh-lab" },
  { route: "details", bookinfo: "/api/details?kind=service&namespace=bookinfo&name=reviews", meshLab: "/api/details?kind=service&namespace=mesh-lab&name=catalog" },
  { route: "validations", bookinfo: "/api/validations", meshLab: "/api/validations?namespaces=mesh-lab" },
  { route: "config list", bookinfo: "/api/istio-config", meshLab: "/api/istio-config?namespaces=mesh-lab" },
  { route: "config object", bookinfo: "/api/istio-config/bookinfo/VirtualService/bookinfo", meshLab: "/api/istio-config/mesh-lab/VirtualService/catalog" },
];

test.describe("a person limited to bookinfo", () => {
  test("sees bookinfo's graph and golden signals", async ({ page }) => {
    await signIn(page, TOKENS.bookinfo, "/graph?namespaces=bookinfo");
    await expect(page.getByRole("listbox", { name: /Graph nodes/ }).getByRole("option").first()).toBeVisible();

    await page.goto(`${consoleUrl}/services/bookinfo/reviews?window=5m`);
    await expect(page.getByRole("heading", { name: "Service reviews" })).toBeVisible();
    await expect(page.getByTestId("chart-Request volume")).toHaveAttribute("data-has-data", "true");
  });

  test("gets every data route for bookinfo, and what comes back is bookinfo's", async ({ page }) => {
    await signIn(page, TOKENS.bookinfo, "/");
    for (const { route, bookinfo } of DATA_ROUTES) {
      const { status, body } = await apiGet(page, bookinfo);
      expect(`${route}: ${bookinfo} → ${status} ${body.error?.message ?? ""}`).toBe(`${route}: ${bookinfo} → 200 `);
    }
    // "All namespaces" means the person's own: lists, traffic and sparklines hold bookinfo only.
    for (const [url, key] of [["/api/services", "services"], ["/api/workloads", "workloads"], ["/api/apps", "apps"], ["/api/istio-config", "objects"], ["/api/traffic?kind=workload", "items"]] as const) {
      expect(`${url}: ${namespacesOf((await apiGet(page, url)).body[key]).join(",")}`).toBe(`${url}: bookinfo`);
    }
    const sparklines = await apiGet(page, "/api/namespace-traffic");
    expect(namespacesOf(sparklines.body.series)).toEqual(["bookinfo"]);
  });

  test("opens a bookinfo node's charts in the graph's side panel", async ({ page }) => {
    await signIn(page, TOKENS.bookinfo, "/graph?namespaces=bookinfo&focus=versionedApp~bookinfo~reviews~v2");
    const panel = page.getByTestId("side-panel");
    await expect(panel.getByRole("heading", { name: "reviews v2" })).toBeVisible();
    await expect(panel.getByTestId("node-charts").locator("svg.recharts-surface").first()).toBeVisible();
  });

  test("gets 403 naming mesh-lab on every data route (reading another team's namespace through routes served from the console's identity)", async ({ page }) => {
    await signIn(page, TOKENS.bookinfo, "/");
    for (const { route, meshLab } of DATA_ROUTES) {
      const { status, body } = await apiGet(page, meshLab);
      expect(`${route}: ${meshLab} → ${status}`).toBe(`${route}: ${meshLab} → 403`);
      expect(body.error?.message).toMatch(/^Your account may not read namespace mesh-lab/);
    }
    // istiod's figures are about the whole mesh, and read from its root namespace.
    const controlPlane = await apiGet(page, "/api/control-plane");
    expect(controlPlane.status).toBe(403);
    expect(controlPlane.body.error?.message).toMatch(/^Your account may not read namespace istio-system/);
  });

  test("gets no other namespace's traffic through a graph node outside the mesh (a query that ignores the namespace it was checked against)", async ({ page }) => {
    // mesh-lab's catalog has traffic: there is something to leak.
    await signIn(page, TOKENS.admin, "/");
    const catalog = await apiGet(page, "/api/graph/node-metrics?kind=service&namespace=mesh-lab&name=catalog");
    expect(catalog.status).toBe(200);
    expect(requestsIn(catalog.body)).toBeGreaterThan(0);

    await switchTo(page, TOKENS.bookinfo);
    // Asked as a host outside the mesh "in bookinfo", the name catalog used to match mesh-lab's
    // service; now the figures are bookinfo's, and bookinfo has no catalog.
    const asExternal = await apiGet(page, "/api/graph/node-metrics?kind=external&namespace=bookinfo&name=catalog");
    expect(asExternal.status).toBe(200);
    expect(requestsIn(asExternal.body)).toBe(0);
    // With no namespace at all, the figures would add up every namespace's callers.
    const anywhere = await apiGet(page, "/api/graph/node-metrics?kind=external&namespace=&name=catalog");
    expect(anywhere.status).toBe(403);
    expect(anywhere.body.error?.message).toMatch(/^Your account may not read these figures: .*every namespace/);
  });

  test("gets 403 for mesh-lab's findings and none of them among its own (reading another team's findings through the console's watch caches)", async ({ page }) => {
    await signIn(page, TOKENS.admin, "/");
    const everything = await apiGet(page, "/api/validations");
    expect(everything.status).toBe(200);
    // Otherwise there would be nothing to leak and the test would prove nothing.
    expect(everything.body.findings?.some((finding) => finding.object.namespace === "mesh-lab")).toBe(true);

    await switchTo(page, TOKENS.bookinfo);
    const refused = await apiGet(page, "/api/validations?namespaces=mesh-lab");
    expect(refused.status).toBe(403);
    expect(refused.body.error?.message).toMatch(/^Your account may not read namespace mesh-lab/);

    const own = await apiGet(page, "/api/validations");
    expect(own.status).toBe(200);
    expect((own.body.findings ?? []).filter((finding) => finding.object.namespace !== "bookinfo")).toEqual([]);
  });
});
