/**
 * Proxy sync status: the console reads istiod's /debug/syncz through the Kubernetes API's pods
 * proxy (in the demo, the emulator relays it to the simulator). mesh-lab's legacy-v1 proxy never
 * acknowledges route pushes by design (demo/manifests/30-mesh-lab.yaml), so it is STALE for RDS.
 */
import { expect, test } from "./fixtures";

test.describe("proxy sync status", () => {
  test("the API answers each proxy's xDS status and the istiod it is connected to", async ({ request }) => {
    const response = await request.get("/api/proxy-status?namespaces=mesh-lab");
    expect(response.ok(), await response.text()).toBe(true);
    const body = (await response.json()) as { proxies: Array<{ workload: string | null; istiod: string; namespace: string; types: Array<{ type: string; status: string }> }>; istiods: Array<{ name: string; error: string | null }> };
    expect(body.istiods.length).toBeGreaterThan(0);
    expect(body.istiods.every((istiod) => istiod.error === null && istiod.name.startsWith("istiod-"))).toBe(true);
    expect(body.proxies.every((proxy) => proxy.namespace === "mesh-lab")).toBe(true);
    const legacy = body.proxies.find((proxy) => proxy.workload === "legacy-v1");
    expect(legacy?.istiod).toMatch(/^istiod-/);
    expect(legacy?.types.find((type) => type.type === "RDS")?.status).toBe("STALE");
    expect(legacy?.types.find((type) => type.type === "CDS")?.status).toBe("SYNCED");
    expect(body.proxies.find((proxy) => proxy.workload === "web-v1")?.types.find((type) => type.type === "RDS")?.status).toBe("SYNCED");
  });

  test("the stale workload's page shows STALE for routes, and the overview counts it for mesh-lab", async ({ page }) => {
    await page.goto("/workloads/mesh-lab/legacy-v1?window=5m");
    const section = page.getByRole("region", { name: "Proxy sync" });
    await expect(section).toBeVisible();
    const row = section.locator('[data-testid^="proxy-sync-legacy-v1-"]').first();
    await expect(row.getByTestId("xds-RDS")).toContainText("STALE", { timeout: 30_000 });
    await expect(row.getByTestId("xds-CDS")).toHaveText("SYNCED");
    await expect(row).toContainText("out of sync");
    await expect(row.getByRole("cell", { name: /^istiod-/ })).toBeVisible();

    await page.goto("/?namespaces=mesh-lab,bookinfo");
    await expect(page.getByTestId("namespace-card-mesh-lab").getByTestId("namespace-stale-proxies")).toHaveText(/1 proxy out of sync with istiod/, { timeout: 30_000 });
    await expect(page.getByTestId("namespace-card-bookinfo").getByTestId("namespace-stale-proxies")).toHaveCount(0);
  });
});
