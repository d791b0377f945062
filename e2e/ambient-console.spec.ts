/**
 * The demo's ambient namespace `ambient-shop` (demo/manifests/60-ambient.yaml): shop-web calls cart
 * through the waypoint `waypoint` (HTTPRoute cart 90/10 to cart-v1/cart-v2) and ledger, which no
 * waypoint serves; buyer, a sidecar workload in shop-clients, calls cart too.
 */
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { dragSliderTo } from "./sliders";

type Graph = {
  queryCount: number;
  nodes: { id: string; kind: string; name: string; namespace: string; isWaypoint?: boolean; outboundRps: number }[];
  edges: { source: string; target: string; protocol: string; rps: number; tcpBytesPerSecond: number; mtlsShare: number | null }[];
};
type CanaryAnalysis = { versions: { version: string; requestRate: number; share: number }[] };

const GRAPH = "/api/graph?namespaces=ambient-shop,shop-clients&graphType=versionedApp&duration=30s";

async function graphOf(request: APIRequestContext, appenders: string): Promise<Graph> {
  return (await (await request.get(`${GRAPH}&appenders=${appenders}`)).json()) as Graph;
}

/** The demo's split, which other tests read: cart 90/10 between its version Services. */
async function restoreCartSplit(request: APIRequestContext): Promise<void> {
  const response = await request.put("/api/namespaces/ambient-shop/services/cart/traffic-shift", { headers: { "x-mesh-console": "1" }, data: { weights: { v1: 90, v2: 10 } } });
  expect(response.ok(), await response.text()).toBe(true);
}

async function cartCanary(request: APIRequestContext): Promise<CanaryAnalysis> {
  return (await (await request.get("/api/namespaces/ambient-shop/services/cart/canary-analysis?window=30&backends=cart-v1,cart-v2&waypoint=true")).json()) as CanaryAnalysis;
}

test.describe("the ambient namespace", () => {
  test("the graph draws ambient traffic: L7 through the waypoint, L4 from ztunnel, mTLS, and folds the waypoint unless asked", async ({ page, request }) => {
    test.setTimeout(180_000);
    const node = (graph: Graph, kind: string, namespace: string, name: string) => graph.nodes.find((candidate) => candidate.kind === kind && candidate.namespace === namespace && candidate.name === name);
    await expect
      .poll(
        async () => {
          const graph = await graphOf(request, "security");
          const shopWeb = node(graph, "versionedApp", "ambient-shop", "shop-web");
          const cartV1 = node(graph, "service", "ambient-shop", "cart-v1");
          const ledger = node(graph, "service", "ambient-shop", "ledger");
          const l7 = graph.edges.find((edge) => edge.source === shopWeb?.id && edge.target === cartV1?.id && edge.protocol === "http");
          const l4 = graph.edges.find((edge) => edge.source === shopWeb?.id && edge.target === ledger?.id && edge.protocol === "tcp");
          return { l7: (l7?.rps ?? 0) > 0, mtls: l7?.mtlsShare ?? null, l4: (l4?.tcpBytesPerSecond ?? 0) > 0, ledgerL7: graph.edges.some((edge) => edge.target === ledger?.id && edge.protocol !== "tcp"), queries: graph.queryCount <= 3 };
        },
        { timeout: 150_000, intervals: [5_000] },
      )
      .toEqual({ l7: true, mtls: 1, l4: true, ledgerL7: false, queries: true });

    // buyer's sidecar reports its requests to cart as a hop to the waypoint, which reports them again: counted once.
    const graph = await graphOf(request, "responseTime");
    const buyer = node(graph, "versionedApp", "shop-clients", "buyer");
    const buyerToBackends = graph.edges.filter((edge) => edge.source === buyer?.id && edge.protocol === "http").reduce((sum, edge) => sum + edge.rps, 0);
    expect(buyer?.outboundRps).toBeGreaterThan(0);
    expect(buyer?.outboundRps).toBeCloseTo(buyerToBackends, 6);
    expect(graph.queryCount, "response time adds one query, the waypoint's reports none").toBeLessThanOrEqual(4);

    await page.goto("/graph?namespaces=ambient-shop,shop-clients");
    const nodes = page.getByRole("listbox", { name: /Graph nodes/ });
    await expect(nodes.getByRole("option", { name: /^shop-web v1 \(ambient-shop\)/ })).toBeVisible({ timeout: 60_000 });
    await expect(nodes.getByRole("option", { name: /^waypoint \(ambient-shop\)/ })).toHaveCount(0);
    await page.getByText("Display", { exact: true }).click();
    await page.getByRole("checkbox", { name: "Waypoints" }).click();
    await expect(page).toHaveURL(/waypoints=show/);
    await expect(nodes.getByRole("option", { name: /^waypoint \(ambient-shop\)/ })).toBeVisible();
    await page.getByRole("checkbox", { name: "Waypoints" }).click();
    await expect(nodes.getByRole("option", { name: /^waypoint \(ambient-shop\)/ })).toHaveCount(0);
  });

  test("lists, overview and the service page say which data plane each workload has", async ({ page }) => {
    await page.goto("/workloads?namespaces=ambient-shop,shop-clients");
    const table = page.getByRole("table", { name: "Workloads" });
    const row = (name: string) => table.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
    await expect(row("cart-v1")).toContainText("ambient with waypoint waypoint", { timeout: 30_000 });
    await expect(row("ledger-v1")).toContainText("ambient");
    await expect(row("ledger-v1")).not.toContainText("without sidecar");
    await expect(row("buyer")).toContainText("sidecar");
    await expect(row("waypoint")).toContainText("waypoint");
    // Opted out of ambient and without a sidecar: outside the mesh, and said so.
    await expect(row("legacy-report")).toContainText("1 of 1 pods without sidecar or ambient");

    await page.goto("/?namespaces=ambient-shop");
    await expect(page.getByTestId("namespace-card-ambient-shop").getByTestId("namespace-data-plane")).toHaveText("Ambient data plane (ztunnel)");
    const ambient = page.getByTestId("ambient-card");
    await expect(ambient.getByTestId("ztunnel-health")).toHaveText("2 of 2 pods ready", { timeout: 30_000 });
    await expect(ambient.getByTestId("waypoint-health")).toContainText("programmed, 1 of 1 replicas ready");

    await page.goto("/services/ambient-shop/cart");
    await expect(page.getByTestId("data-plane")).toHaveText("ambient with waypoint (waypoint waypoint)", { timeout: 30_000 });
    await expect(page.getByRole("table", { name: "Istio config that applies" })).toContainText("waypoint: applies its L7 routing and policies in ambient mode");
  });

  test("the canary slider on cart, behind the waypoint, moves the split the waypoint reports", async ({ page, request }) => {
    test.setTimeout(240_000);
    await restoreCartSplit(request);
    try {
      const management = page.getByRole("region", { name: "Traffic management" });
      await page.goto("/services/ambient-shop/cart");
      await expect(management.getByTestId("configured-split")).toHaveText("v1 90 %, v2 10 %", { timeout: 60_000 });
      await expect(management.getByTestId("ambient-routing")).toContainText("waypoint waypoint applies this service's L7 routing");
      await management.getByRole("button", { name: "Traffic shifting" }).click();
      const v2 = page.getByRole("slider", { name: "Weight of v2" });
      await expect(v2).toHaveValue("10");
      await dragSliderTo(page, v2, { from: 0.1, towards: 0.48 }, 50);
      await page.getByRole("button", { name: "Review changes" }).click();
      await expect(page.getByRole("region", { name: "Changes to apply" })).toContainText("HTTPRoute cart will be changed");
      await page.getByRole("button", { name: "Apply", exact: true }).click();
      await expect(page.getByRole("status").filter({ hasText: "Applied" })).toContainText("HTTPRoute cart replaced");
      await expect(management.getByTestId("configured-split")).toHaveText("v1 50 %, v2 50 %");

      // The waypoint routes by the new weights; its reports, and only its, split the canary.
      await expect
        .poll(
          async () => {
            const analysis = await cartCanary(request);
            const v2Share = analysis.versions.find((version) => version.version === "v2")?.share ?? 0;
            return { versions: analysis.versions.map((version) => version.version), moved: v2Share > 0.38 && v2Share < 0.62 };
          },
          { timeout: 150_000, intervals: [5_000] },
        )
        .toEqual({ versions: ["v1", "v2"], moved: true });
      await expect(page.getByRole("region", { name: "Canary analysis" })).toContainText("the waypoint's reports");
    } finally {
      await restoreCartSplit(request);
    }
  });

  test("ledger, without a waypoint, explains why L7 routing cannot apply and previews its enrolment", async ({ page, request }) => {
    await page.goto("/services/ambient-shop/ledger");
    const enrolment = page.getByRole("region", { name: "Waypoint enrolment" });
    await expect(enrolment.getByRole("note")).toContainText("ledger runs in ambient mode without a waypoint: ztunnel carries its traffic at L4 only", { timeout: 60_000 });
    await expect(page.getByRole("region", { name: "Traffic management" }).getByRole("note").filter({ hasText: "Wizards disabled" })).toContainText("until a waypoint serves it");
    await expect(enrolment.getByRole("combobox", { name: "Waypoint" })).toHaveValue("waypoint");
    await expect(enrolment.getByRole("button", { name: "Enrol ledger in waypoint" }), "enrolment waits for a preview").toBeDisabled();
    await enrolment.getByRole("button", { name: "Preview enrolment" }).click();
    const preview = enrolment.getByRole("figure", { name: "Enrolment preview" });
    await expect(preview).toContainText("Service ledger will be changed");
    await expect(preview).toContainText("istio.io/use-waypoint: waypoint");
    // The preview was a dry run: the Service is still without a waypoint.
    const state = (await (await request.get("/api/namespaces/ambient-shop/services/ledger/traffic-shift")).json()) as { ambient?: { dataPlane: string } };
    expect(state.ambient?.dataPlane).toBe("ambient");
    await expect(enrolment.getByRole("button", { name: "Enrol ledger in waypoint" })).toBeEnabled();
  });
});
