import { execFileSync } from "node:child_process";
import { demoEndpoints } from "./demoEndpoints";
import { expect, test } from "./fixtures";
import { dragSliderTo } from "./sliders";

type Route = { destination: { subset?: string }; weight?: number };
type VirtualService = { metadata: { resourceVersion: string }; spec: { http: { route: Route[] }[] } };

/** What `kubectl get virtualservice reviews` shows, as subset → weight of its last (default) route. */
function kubectlWeights(): Record<string, number> {
  const json = execFileSync("kubectl", ["--kubeconfig", demoEndpoints().kubeconfig, "get", "virtualservice", "reviews", "-n", "bookinfo", "-o", "json"], { encoding: "utf8" });
  const vs = JSON.parse(json) as VirtualService;
  const route = vs.spec.http.at(-1)!.route;
  return Object.fromEntries(route.map((entry) => [entry.destination.subset ?? "", entry.weight ?? 100]));
}

test.describe("canary rollout of reviews v2", () => {
  test.beforeEach(async ({ request }) => {
    // The starting point a release manager has: all of reviews' traffic on the stable v1.
    const response = await request.put("/api/namespaces/bookinfo/services/reviews/traffic-shift", { headers: { "x-mesh-console": "1" }, data: { weights: { v1: 100 } } });
    expect(response.ok(), await response.text()).toBe(true);
  });

  test("shift 20 % to v2 with mouse and keyboard, watch it converge, roll back", async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto("/services/bookinfo/reviews");
    const management = page.getByRole("region", { name: "Traffic management" });
    await expect(management.getByTestId("configured-split")).toHaveText("v1 100 %");
    await management.getByRole("button", { name: "Traffic shifting" }).click();

    const v2 = page.getByRole("slider", { name: "Weight of v2" });
    await expect(v2).toHaveValue("0");
    // Mouse: drag the thumb from its left end towards 10 %, then the keyboard to exactly 20 %.
    await dragSliderTo(page, v2, { from: 0, towards: 0.1 }, 20);
    await expect(page.getByRole("spinbutton", { name: "Percent to v1" })).toHaveValue("80");
    await expect(page.getByRole("spinbutton", { name: "Percent to v3" })).toHaveValue("0");

    await page.getByRole("button", { name: "Review changes" }).click();
    const diff = page.getByRole("region", { name: "Changes to apply" });
    await expect(diff).toContainText("VirtualService reviews will be changed");
    await expect(diff.locator("div", { hasText: /^\+ added: +weight: 20$/ })).toHaveCount(1);
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Applied" })).toBeVisible();

    expect(kubectlWeights()).toEqual({ v1: 80, v2: 20 });
    await expect(management.getByTestId("configured-split")).toHaveText("v1 80 %, v2 20 %");

    // The simulator follows the new weights; the observed share of v2 converges on 20 % as scrapes come in.
    const v2Row = page.getByRole("table", { name: "Signals per version" }).locator('tr[data-version="v2"]');
    await expect(v2Row.locator('[data-column="configured"]')).toHaveText("20 %");
    await expect
      .poll(async () => Number.parseFloat((await v2Row.locator('[data-column="observed"]').textContent()) ?? "0"), { timeout: 90_000, intervals: [2_000] })
      .toBeGreaterThan(14);
    await expect
      .poll(async () => Number.parseFloat((await v2Row.locator('[data-column="observed"]').textContent()) ?? "100"), { timeout: 60_000, intervals: [2_000] })
      .toBeLessThan(26);

    // The graph shows the same canary: configured beside observed on the edge from reviews to v2.
    const toV2 = "service~bookinfo~reviews~>versionedApp~bookinfo~reviews~v2>http";
    await expect
      .poll(
        async () => {
          const graph = (await (await page.request.get("/api/graph?namespaces=bookinfo&graphType=versionedApp&duration=30s")).json()) as { edges: { id: string; configuredPercent: number | null; percentOfSource: number }[] };
          const edge = graph.edges.find((candidate) => candidate.id === toV2);
          return edge && edge.configuredPercent === 20 && edge.percentOfSource > 12 && edge.percentOfSource < 28;
        },
        { timeout: 60_000, intervals: [2_000] },
      )
      .toBe(true);
    const graphPage = await page.context().newPage();
    await graphPage.goto(`/graph?namespaces=bookinfo&graphType=versionedApp&edgeLabels=percent&focus=${encodeURIComponent(toV2)}&refresh=off`);
    await expect(graphPage.getByTestId("side-panel")).toContainText(/Configured share\s*20 % \(observed \d+\.\d %\)/);
    await graphPage.close();

    await expect(page.getByRole("list", { name: "Routing history" })).toContainText("traffic-shift: v1 100 % → v1 80 %, v2 20 %");
    await management.getByRole("button", { name: "Roll back last change" }).click();
    await expect(management.getByTestId("configured-split")).toHaveText("v1 100 %");
    expect(kubectlWeights()).toEqual({ v1: 100 });
  });

  test("a change made by someone else meanwhile is refused and reload shows it", async ({ page }) => {
    await page.goto("/services/bookinfo/reviews");
    const management = page.getByRole("region", { name: "Traffic management" });
    await expect(management.getByTestId("configured-split")).toHaveText("v1 100 %");
    await management.getByRole("button", { name: "Traffic shifting" }).click();
    await page.getByRole("spinbutton", { name: "Percent to v3" }).fill("30");

    const kubeconfig = demoEndpoints().kubeconfig;
    execFileSync("kubectl", ["--kubeconfig", kubeconfig, "patch", "virtualservice", "reviews", "-n", "bookinfo", "--type", "json", "-p", JSON.stringify([{ op: "replace", path: "/spec/http/0/route", value: [{ destination: { host: "reviews", subset: "v1" }, weight: 50 }, { destination: { host: "reviews", subset: "v2" }, weight: 50 }] }])]);

    await page.getByRole("button", { name: "Review changes" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Changed by someone else since you opened it" });
    await expect(alert).toContainText("VirtualService bookinfo/reviews was changed by someone else");
    await alert.getByRole("button", { name: "Reload" }).click();
    await expect(management.getByTestId("configured-split")).toHaveText("v1 50 %, v2 50 %");
    await expect(page.getByRole("slider", { name: "Weight of v2" })).toHaveValue("50");
    expect(kubectlWeights()).toEqual({ v1: 50, v2: 50 });
  });
});
