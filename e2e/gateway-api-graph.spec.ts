import { expect, test } from "./fixtures";

type GraphAnswer = {
  nodes: { id: string; kind: string; namespace: string; name: string }[];
  edges: { id: string; configuredPercent: number | null; percentOfSource: number; rps: number }[];
  queryCount?: number;
};

const GATEWAY = "gateway~storefront~storefront-gateway-istio~";
const WEB = "versionedApp~storefront~web~v1";
const toCatalog = (version: "v1" | "v2") => `${WEB}>service~storefront~catalog-${version}~>http`;

test.describe("the storefront on the traffic graph", () => {
  test("shows the Gateway API ingress gateway as a gateway, and the HTTPRoute's configured 80/20 beside the observed split", async ({ page }) => {
    // Wait until the simulated traffic has been scraped on both catalog versions.
    let graph: GraphAnswer | undefined;
    await expect
      .poll(
        async () => {
          graph = (await (await page.request.get("/api/graph?namespaces=storefront&graphType=versionedApp&duration=60s")).json()) as GraphAnswer;
          return ["v1", "v2"].every((version) => (graph?.edges.find((edge) => edge.id === toCatalog(version as "v1" | "v2"))?.rps ?? 0) > 0);
        },
        { timeout: 90_000, intervals: [2_000] },
      )
      .toBe(true);
    expect(graph!.nodes.find((node) => node.id === GATEWAY)?.kind).toBe("gateway");
    const v1 = graph!.edges.find((edge) => edge.id === toCatalog("v1"))!;
    const v2 = graph!.edges.find((edge) => edge.id === toCatalog("v2"))!;
    expect([v1.configuredPercent, v2.configuredPercent]).toEqual([80, 20]);
    // Observed is what the proxies reported: near the configured split, and the two add up to the caller's traffic to catalog.
    expect(v2.percentOfSource).toBeGreaterThan(5);
    expect(v2.percentOfSource).toBeLessThan(40);
    expect(v1.percentOfSource + v2.percentOfSource).toBeGreaterThan(99);

    // In the browser: the gateway node is a gateway, and the edge to catalog-v2 names both shares.
    await page.goto(`/graph?namespaces=storefront&graphType=versionedApp&edgeLabels=percent&focus=${encodeURIComponent(GATEWAY)}&refresh=off`);
    const gatewayPanel = page.getByTestId("side-panel");
    await expect(gatewayPanel).toContainText("storefront-gateway-istio");
    await expect(gatewayPanel).toContainText(/Kind\s*Gateway/);
    await page.goto(`/graph?namespaces=storefront&graphType=versionedApp&edgeLabels=percent&focus=${encodeURIComponent(toCatalog("v2"))}&refresh=off`);
    await expect(page.getByTestId("side-panel")).toContainText(/Configured share\s*20 % \(observed \d+\.\d %\)/);
    await page.goto(`/graph?namespaces=storefront&graphType=versionedApp&edgeLabels=percent&focus=${encodeURIComponent(toCatalog("v1"))}&refresh=off`);
    await expect(page.getByTestId("side-panel")).toContainText(/Configured share\s*80 % \(observed \d+\.\d %\)/);
  });
});
