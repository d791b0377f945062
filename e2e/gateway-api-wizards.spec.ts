import { execFileSync } from "node:child_process";
import type { APIRequestContext } from "@playwright/test";
import { demoEndpoints } from "./demoEndpoints";
import { expect, test } from "./fixtures";
import { dragSliderTo } from "./sliders";

type HttpRoute = { spec: { rules: { backendRefs?: { name: string; weight?: number }[] }[] } };
type Graph = { nodes: { id: string; kind: string; name: string }[]; edges: { source: string; target: string; rps: number; configuredPercent: number | null }[] };

function kubectlAvailable(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** What `kubectl get httproute catalog` shows: backend Service → weight of its last (default) rule. */
function kubectlWeights(): Record<string, number> {
  const json = execFileSync("kubectl", ["--kubeconfig", demoEndpoints().kubeconfig, "get", "httproute", "catalog", "-n", "storefront", "-o", "json"], { encoding: "utf8" });
  const route = JSON.parse(json) as HttpRoute;
  return Object.fromEntries((route.spec.rules.at(-1)!.backendRefs ?? []).map((backend) => [backend.name, backend.weight ?? 1]));
}

/** The demo's split, which other specs read: catalog 80/20 between its version Services. */
async function restoreDemoSplit(request: APIRequestContext): Promise<void> {
  const response = await request.put("/api/namespaces/storefront/services/catalog/traffic-shift", { headers: { "x-mesh-console": "1" }, data: { weights: { v1: 80, v2: 20 } } });
  expect(response.ok(), await response.text()).toBe(true);
}

/** The graph's configured and observed share of catalog-v2 among the callers' requests to catalog's version Services. */
async function catalogV2OnGraph(request: APIRequestContext): Promise<{ configured: number | null; observed: number }> {
  const graph = (await (await request.get("/api/graph?namespaces=storefront&graphType=versionedApp&duration=30s")).json()) as Graph;
  const versionService = (name: string) => graph.nodes.find((node) => node.kind === "service" && node.name === name)?.id;
  const [v1, v2] = [versionService("catalog-v1"), versionService("catalog-v2")];
  const rate = (target: string | undefined) => graph.edges.filter((edge) => edge.target === target).reduce((sum, edge) => sum + edge.rps, 0);
  const total = rate(v1) + rate(v2);
  const configured = graph.edges.find((edge) => edge.target === v2)?.configuredPercent ?? null;
  return { configured, observed: total > 0 ? (rate(v2) / total) * 100 : 0 };
}

test.describe("traffic shifting on a service routed by an HTTPRoute", () => {
  test.skip(!kubectlAvailable(), "kubectl is not installed: the test reads the HTTPRoute as an operator would, with kubectl");

  test.afterEach(async ({ request }) => {
    await restoreDemoSplit(request);
  });

  test("drag catalog's canary to 50/50, preview, apply, see it in kubectl and on the graph, roll back", async ({ page, request }) => {
    test.setTimeout(240_000);
    await restoreDemoSplit(request);
    const management = page.getByRole("region", { name: "Traffic management" });
    const v2 = page.getByRole("slider", { name: "Weight of v2" });
    await page.goto("/services/storefront/catalog");
    await expect(management.getByTestId("configured-split")).toHaveText("v1 80 %, v2 20 %");
    await expect(management).toContainText("Routed by the Gateway API: HTTPRoute catalog, one Service per version");
    await management.getByRole("button", { name: "Traffic shifting" }).click();
    await expect(v2, "the slider starts at the route's 20 %").toHaveValue("20");
    // Mouse: drag the thumb from 20 % towards the middle, then the keyboard to exactly 50 %.
    await dragSliderTo(page, v2, { from: 0.2, towards: 0.48 }, 50);
    await expect(page.getByRole("spinbutton", { name: "Percent to v1" })).toHaveValue("50");

    await page.getByRole("button", { name: "Review changes" }).click();
    const diff = page.getByRole("region", { name: "Changes to apply" });
    await expect(diff).toContainText("HTTPRoute catalog will be changed");
    await expect(diff).not.toContainText("VirtualService");
    // The preview is a dry run: nothing stored yet.
    expect(kubectlWeights()).toEqual({ "catalog-v1": 80, "catalog-v2": 20 });
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Applied" })).toContainText("HTTPRoute catalog replaced");

    expect(kubectlWeights()).toEqual({ "catalog-v1": 50, "catalog-v2": 50 });
    await expect(management.getByTestId("configured-split")).toHaveText("v1 50 %, v2 50 %");

    // The simulator routes by the new weights; the graph's observed share of catalog-v2 moves from 20 % towards 50 %.
    await expect
      .poll(
        async () => {
          const { configured, observed } = await catalogV2OnGraph(request);
          return configured === 50 && observed > 38 && observed < 62;
        },
        { timeout: 120_000, intervals: [3_000] },
      )
      .toBe(true);

    await expect(page.getByRole("list", { name: "Routing history" })).toContainText("traffic-shift: v1 80 %, v2 20 % → v1 50 %, v2 50 %");
    await management.getByRole("button", { name: "Roll back last change" }).click();
    await expect(management.getByTestId("configured-split")).toHaveText("v1 80 %, v2 20 %");
    expect(kubectlWeights()).toEqual({ "catalog-v1": 80, "catalog-v2": 20 });
  });

  test("fault injection says the Gateway API has none instead of writing a VirtualService", async ({ page }) => {
    await page.goto("/services/storefront/catalog");
    const management = page.getByRole("region", { name: "Traffic management" });
    await management.getByRole("button", { name: "Fault injection" }).click();
    await expect(page.getByRole("region", { name: "Fault injection" }).getByRole("note")).toContainText("The Gateway API has no fault injection");
    await expect(page.getByRole("button", { name: "Review changes" })).toHaveCount(0);
  });
});

test.describe("a service with no routing", () => {
  test("offers both APIs with the console's default preselected, and previews an HTTPRoute with version Services", async ({ page }) => {
    await page.goto("/services/storefront/web");
    const management = page.getByRole("region", { name: "Traffic management" });
    // The routing state comes with the page's other reads; on a busy machine it can take a while.
    await expect(management.getByTestId("configured-split")).toHaveText("no split", { timeout: 60_000 });
    const choice = management.getByRole("group", { name: "Route this service with" });
    const istio = choice.getByRole("radio", { name: /Istio VirtualService \+ DestinationRule/ });
    const gatewayApi = choice.getByRole("radio", { name: /Gateway API HTTPRoute \+ version Services/ });
    // The demo's console runs with the default setting, MESH_CONSOLE_DEFAULT_ROUTING_API=virtualservice.
    await expect(istio).toBeChecked();
    await expect(choice).toContainText("(the console's default)");
    await expect(gatewayApi).not.toBeChecked();

    await management.getByRole("button", { name: "Traffic shifting" }).click();
    await page.getByRole("button", { name: "Review changes" }).click();
    await expect(page.getByRole("region", { name: "Changes to apply" })).toContainText("VirtualService web will be created");

    await gatewayApi.check();
    await expect(gatewayApi).toBeChecked();
    await page.getByRole("button", { name: "Review changes" }).click();
    const diff = page.getByRole("region", { name: "Changes to apply" });
    await expect(diff).toContainText("Service web-v1 will be created");
    await expect(diff).toContainText("HTTPRoute web will be created");
    await expect(diff).not.toContainText("VirtualService");
  });
});
