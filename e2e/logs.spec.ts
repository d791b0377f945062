/**
 * Logs in the console: an operator injects an abort on the details service, opens productpage's
 * workload, follows its istio-proxy log and sees the aborted calls appear as 503 with the FI flag
 * and its meaning, linked to the graph; then the fault is removed.
 */
import { expect, test } from "./fixtures";

const SAME_ORIGIN = { "x-mesh-console": "1" };
const FAULT_PATH = "/api/namespaces/bookinfo/services/details/fault-injection";
const ROUTING_PATH = "/api/namespaces/bookinfo/services/details/routing";

test.describe("logs", () => {
  test.afterEach(async ({ request }) => {
    // Remove what the fault-injection wizard created, so other tests see details as it was.
    const response = await request.delete(ROUTING_PATH, { headers: SAME_ORIGIN });
    expect([200, 404], await response.text()).toContain(response.status());
  });

  test("following productpage's proxy log shows the injected aborts as 503 FI", async ({ page, request }) => {
    test.setTimeout(120_000);
    const inject = await request.put(FAULT_PATH, { headers: SAME_ORIGIN, data: { abort: { percentage: 50, httpStatus: 503 } } });
    expect(inject.ok(), await inject.text()).toBe(true);

    await page.goto("/workloads/bookinfo/productpage-v1?window=5m");
    const logs = page.getByRole("region", { name: "Logs", exact: true });
    await expect(logs).toBeVisible();
    await logs.getByRole("combobox", { name: "Container" }).selectOption("istio-proxy");
    await expect(page).toHaveURL(/logContainer=istio-proxy/);
    // The checkbox shows the URL's state, which the click changes a moment later.
    const follow = logs.getByRole("checkbox", { name: "Follow" });
    await follow.click();
    await expect(follow).toBeChecked();
    await expect(page).toHaveURL(/logFollow=true/);

    // The shared link carries the view: pod, container and follow.
    const pod = await logs.getByRole("combobox", { name: "Pod" }).inputValue();
    expect(pod).toMatch(/^productpage-v1-/);

    const table = logs.getByRole("table", { name: `Log of istio-proxy in pod ${pod}` });
    const flagged = table.locator('tr[data-kind="access"][data-flags="FI"]');
    await expect(flagged.first()).toBeVisible({ timeout: 60_000 });
    await expect(flagged.first().locator('[data-column="code"]')).toHaveText("503");
    const flagLink = flagged.first().locator('a[data-flag="FI"]');
    await expect(flagLink).toHaveAccessibleName(/FI \(FaultInjected\): The request was aborted by fault injection/);
    const href = new URL((await flagLink.getAttribute("href"))!, "http://console");
    expect(href.pathname).toBe("/graph");
    expect(href.searchParams.get("focus")).toBe(`workload~bookinfo~productpage-v1~`);
    expect(href.searchParams.get("find")).toBe("service=details");
    await expect(logs.getByRole("definition").filter({ hasText: "aborted by fault injection" })).toBeVisible();

    // New lines keep arriving while following.
    const count = await flagged.count();
    await expect.poll(() => flagged.count(), { timeout: 30_000, intervals: [2_000] }).toBeGreaterThan(count);

    // Search marks its matches.
    await logs.getByRole("searchbox", { name: "Search" }).fill("fault_filter_abort");
    await expect(table.locator("mark").first()).toHaveText("fault_filter_abort");
    await expect(page).toHaveURL(/logSearch=fault_filter_abort/);
  });

  test("the pod page shows the pod and its logs; a refused or wrong request says why", async ({ page, request }) => {
    await page.goto("/workloads/bookinfo/productpage-v1");
    const podLink = page.getByRole("table", { name: "Pods" }).getByRole("link").first();
    const pod = (await podLink.textContent())!;
    await podLink.click();
    await expect(page).toHaveURL(new RegExp(`/pods/bookinfo/${pod}`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Pod ${pod}`);
    await expect(page.getByRole("link", { name: "productpage-v1" }).first()).toBeVisible();
    await expect(page.getByRole("region", { name: "Logs", exact: true }).getByRole("combobox", { name: "Container" })).toHaveValue("productpage");

    const badTail = await request.get(`/api/pods/bookinfo/${pod}/log?container=istio-proxy&tailLines=100000`);
    expect(badTail.status()).toBe(400);
    const badContainer = await request.get(`/api/pods/bookinfo/${pod}/log?container=nope`);
    expect(badContainer.status()).toBe(400);
    expect(((await badContainer.json()) as { error: { message: string } }).error.message).toContain("nope");
  });
});
