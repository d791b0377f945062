/**
 * Links out to tracing and dashboards: shown where their templates can be filled, filled with the
 * object and the page's window, and absent when none is configured.
 */
import { consoleWith, type ExtraConsole } from "./extraConsoles";
import { expect, test } from "./fixtures";

const TRACES = "https://jaeger.example.test/search?service={service}.{namespace}&start={fromMicros}&end={toMicros}";
const SERVICE_DASHBOARD = "https://grafana.example.test/d/istio-service?var-service={service}.{namespace}.svc.cluster.local&from={fromMs}&to={toMs}";
const WORKLOAD_DASHBOARD = "https://grafana.example.test/d/istio-workload?var-namespace={namespace}&var-workload={workload}&from={fromMs}&to={toMs}";

test.describe("links to tracing and dashboards", () => {
  let linked: ExtraConsole;

  test.beforeAll(async () => {
    linked = await consoleWith({ MESH_CONSOLE_TRACING_LINKS: TRACES, MESH_CONSOLE_DASHBOARD_LINKS: `${SERVICE_DASHBOARD} ${WORKLOAD_DASHBOARD}` });
  });

  test.afterAll(async () => {
    await linked?.stop();
  });

  test("a service page links its traces and its dashboard over the page's window; a workload page its own dashboard", async ({ page }) => {
    await page.goto(`${linked.url}/services/bookinfo/reviews?window=1h`);
    const links = page.getByRole("navigation", { name: "Open in other tools" });
    const traces = links.getByRole("link", { name: /Traces \(jaeger\.example\.test\)/ });
    await expect(traces).toBeVisible();
    const href = new URL((await traces.getAttribute("href")) ?? "");
    expect(href.searchParams.get("service")).toBe("reviews.bookinfo");
    const span = Number(href.searchParams.get("end")) - Number(href.searchParams.get("start"));
    expect(span).toBe(3600 * 1_000_000);
    await expect(links.getByRole("link", { name: /Dashboard/ })).toHaveAttribute("href", /var-service=reviews\.bookinfo\.svc\.cluster\.local/);
    await expect(traces).toHaveAttribute("target", "_blank");

    await page.goto(`${linked.url}/workloads/bookinfo/reviews-v2?window=5m`);
    const workloadLinks = page.getByRole("navigation", { name: "Open in other tools" }).getByRole("link");
    await expect(workloadLinks).toHaveCount(1);
    await expect(workloadLinks.first()).toHaveAttribute("href", /var-workload=reviews-v2/);
  });

  test("a console without templates shows no links at all", async ({ page }) => {
    await page.goto("/services/bookinfo/reviews");
    await expect(page.getByRole("heading", { name: "Service reviews" })).toBeVisible();
    await expect(page.getByTestId("chart-Request volume")).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Open in other tools" })).toHaveCount(0);
  });
});
