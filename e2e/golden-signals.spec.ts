import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { demoEndpoints } from "./demoEndpoints";
import { expect, test } from "./fixtures";

const run = promisify(execFile);

/** kubectl against the demo's API in bookinfo, as an operator working beside the console would. */
async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run("kubectl", ["--kubeconfig", demoEndpoints().kubeconfig, "--namespace", "bookinfo", ...args]);
  return stdout;
}

const HEALTH_ANNOTATION = "mesh-console.io/health-thresholds";

test.describe("golden signals", () => {
  test("the overview shows bookinfo healthy, with its counts, injection and istiod's state", async ({ page }) => {
    await page.goto("/?namespaces=bookinfo");
    const card = page.getByTestId("namespace-card-bookinfo");
    await expect(card.getByTestId("namespace-health")).toHaveText(/Healthy/);
    await expect(card).toContainText("7 workloads");
    await expect(card).toContainText("Sidecar injection enabled");
    await expect(card.getByRole("img", { name: /Inbound requests to bookinfo/ })).toBeVisible();
    await expect(page.getByTestId("connected-proxies")).toHaveText(/^[1-9]\d*$/);
  });

  test("the reviews service shows live charts and compares its three versions", async ({ page }) => {
    await page.goto("/services/bookinfo/reviews?window=5m");
    await expect(page.getByRole("heading", { name: "Service reviews" })).toBeVisible();
    await expect(page.getByTestId("chart-Request volume")).toHaveAttribute("data-has-data", "true");
    await expect(page.getByTestId("chart-Latency")).toHaveAttribute("data-has-data", "true");
    await expect(page.getByRole("table", { name: "Callers" })).toContainText("productpage-v1");
    await expect(page.getByRole("table", { name: "Pods" })).toContainText("1.24.2");
    await expect(page.getByRole("table", { name: "Istio config that applies" })).toContainText("DestinationRule");

    // The checkbox follows the URL, so it turns on once the link has changed.
    await page.getByLabel("Split by version").click();
    await expect(page).toHaveURL(/byVersion=true/);
    await expect(page.getByLabel("Split by version")).toBeChecked();
    const volume = page.getByTestId("chart-Request volume");
    for (const version of ["v1", "v2", "v3"]) await expect(volume.locator(".recharts-legend-item-text", { hasText: new RegExp(`^${version}$`) })).toBeVisible();
    await expect(page.getByTestId("chart-Latency p95 by version")).toContainText("v3 p95");
  });

  test("the workload list sorts by error rate, highest first, and keeps it in the URL", async ({ page }) => {
    await page.goto("/workloads?namespaces=bookinfo,mesh-lab");
    const table = page.getByRole("table", { name: "Workloads" });
    await expect(table.locator("td[data-column=requestRate]").first()).toContainText("req/s");
    await table.getByRole("button", { name: /Errors/ }).click();
    await expect(page).toHaveURL(/sort=errorShare&order=desc/);
    await expect(table.getByRole("columnheader", { name: /Errors/ })).toHaveAttribute("aria-sort", "descending");

    const values = await table.locator("td[data-column=errorShare]").allTextContents();
    const numbers = values.map((text) => (text.startsWith("<") ? 0.005 : text === "—" ? -1 : Number.parseFloat(text)));
    expect(numbers.length).toBeGreaterThan(5);
    expect([...numbers].sort((a, b) => b - a)).toEqual(numbers);
  });

  test("the list's traffic says error rate as a share, and a TCP-only workload has traffic", async ({ request }) => {
    type Item = { name: string; requestRate: number; errorsPerSecond: number; errorRate: number | null; tcpBytesPerSecond: number; health: string };
    await expect
      .poll(async () => ((await (await request.get("/api/traffic?kind=workload&namespaces=bookinfo")).json()).items as Item[]).find((item) => item.name === "mongodb-v1")?.health, { timeout: 45_000, intervals: [1_000] })
      .toBe("healthy");
    const items = (await (await request.get("/api/traffic?kind=workload&namespaces=bookinfo")).json()).items as Item[];
    expect(items.find((item) => item.name === "mongodb-v1")?.tcpBytesPerSecond).toBeGreaterThan(0);
    for (const item of items.filter((entry) => entry.requestRate > 0)) expect(item.errorRate).toBeCloseTo(item.errorsPerSecond / item.requestRate, 9);
  });

  test("istio-system's istiod and ingress gateway show their role, not a missing sidecar or label", async ({ page }) => {
    await page.goto("/workloads?namespaces=istio-system");
    const table = page.getByRole("table", { name: "Workloads" });
    await expect(table.getByTestId("row-istio-system-istiod")).toContainText("control plane runs without a sidecar by design");
    await expect(table.getByTestId("row-istio-system-istio-ingressgateway")).toContainText("gateway is itself an Envoy proxy");
    await expect(table).not.toContainText("without sidecar");
    await expect(table).not.toContainText(/no (app|version) label/);

    await page.goto("/?namespaces=istio-system");
    const card = page.getByTestId("namespace-card-istio-system");
    await expect(card).toContainText("2 workloads");
    await expect(card).not.toContainText("without a sidecar");
  });

  test("the lists explain health with the console's rules and the annotation that overrides them", async ({ page }) => {
    await page.goto("/apps?namespaces=bookinfo");
    await page.getByText("How health is judged").click();
    await expect(page.getByRole("list", { name: "Health rules" })).toContainText("degraded at 0.1 %, failing at 20 %");
    await expect(page.getByText("An app's namespace may override these with the")).toContainText(HEALTH_ANNOTATION);
  });

  test("a Service's wrong health annotation is named above the Services list, and goes with it", async ({ page, request }) => {
    type Item = { name: string; healthNotes?: string[] };
    const detailsNotes = async () => ((await (await request.get("/api/traffic?kind=service&namespaces=bookinfo")).json()).items as Item[]).find((item) => item.name === "details")?.healthNotes ?? [];
    await kubectl("annotate", "service", "details", `${HEALTH_ANNOTATION}=failed=lots`, "--overwrite");
    try {
      await expect.poll(detailsNotes, { timeout: 30_000, intervals: [1_000] }).toHaveLength(1);
      await page.goto("/services?namespaces=bookinfo");
      const notes = page.getByRole("region", { name: "Health notes" });
      await expect(notes).toContainText(`The ${HEALTH_ANNOTATION} annotation on Service bookinfo/details is ignored`);
      await expect(notes).toContainText("expected degraded%/failing%");
    } finally {
      await kubectl("annotate", "service", "details", `${HEALTH_ANNOTATION}-`);
    }
    await expect.poll(detailsNotes, { timeout: 30_000, intervals: [1_000] }).toHaveLength(0);
    await page.reload();
    await expect(page.getByRole("table", { name: "Services" })).toContainText("details");
    await expect(page.getByRole("region", { name: "Health notes" })).toHaveCount(0);
  });

  test("a deep link to a workload with a one-hour window opens with that window", async ({ page }) => {
    await page.goto("/workloads/bookinfo/reviews-v2?window=1h&direction=outbound");
    await expect(page.getByLabel("Time window")).toHaveValue("1h");
    await expect(page.getByRole("radio", { name: "Outbound" })).toBeChecked();
    await expect(page.getByText("Step 30 s")).toBeVisible();
    await expect(page.getByRole("table", { name: "Callees" })).toContainText("ratings");
  });

  test("a detail page for something that does not exist says so", async ({ page }) => {
    await page.goto("/services/bookinfo/no-such-service");
    await expect(page.getByRole("alert").filter({ hasText: "Service bookinfo/no-such-service could not be read" })).toContainText("Service bookinfo/no-such-service does not exist");
  });
});
