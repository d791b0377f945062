import { expect, test } from "./fixtures";

/**
 * The demo's `ambient-lab` namespace (demo/manifests/61-ambient-misconfig.yaml) holds one broken
 * ambient object per check: a sidecar asked for in an ambient namespace, a waypoint label on pods
 * that opted out, a waypoint looked up in the wrong namespace, a waypoint that does not take Service
 * traffic, L7 policy and routing for a Service no waypoint serves, and a policy attached by selector
 * where a waypoint serves. Their findings show on the Issues page, on the config pages at the
 * field, and on the workload and Service pages.
 */
test.describe("ambient validation", () => {
  test("lists each broken ambient object with its message and field", async ({ page }) => {
    await page.goto("/issues?namespaces=ambient-lab");
    const errors = page.getByRole("region", { name: "Errors" });
    const sidecar = errors.getByTestId("finding-MC1013-Deployment-notes");
    await expect(sidecar).toContainText("ask for a sidecar");
    await expect(sidecar).toContainText("spec.template.metadata.labels.sidecar.istio.io/inject");
    const elsewhere = errors.getByTestId("finding-MC1015-Service-search");
    await expect(elsewhere).toContainText("waypoint ambient-shop/waypoint is in another namespace: add istio.io/use-waypoint-namespace=ambient-shop");
    await expect(elsewhere).toContainText("metadata.labels.istio.io/use-waypoint");
    await expect(errors.getByTestId("finding-MC1016-Service-tickets")).toContainText("istio.io/waypoint-for=workload takes only traffic addressed to pods directly");

    const warnings = page.getByRole("region", { name: "Warnings" });
    await expect(warnings.getByTestId("finding-MC1014-Deployment-archive")).toContainText("istio.io/dataplane-mode=none opts them out of ambient");
    const l7 = warnings.getByTestId("finding-MC1017-AuthorizationPolicy-search-get-only");
    await expect(l7).toContainText("ztunnel enforces L4 only and cannot apply HTTP methods");
    await expect(l7).toContainText("spec.rules[0].to[0].operation.methods");
    await expect(warnings.getByTestId("finding-MC1017-RequestAuthentication-search-jwt")).toContainText("cannot apply JWT validation");
    await expect(warnings.getByTestId("finding-MC1017-VirtualService-search")).toContainText("only callers with a sidecar follow these routes");
    await expect(warnings.getByTestId("finding-MC1017-DestinationRule-search")).toContainText("ztunnel does not apply outlier detection");
    await expect(warnings.getByTestId("finding-MC1018-AuthorizationPolicy-billing-admins")).toContainText("which ignores policies attached by selector");
  });

  test("opens the policy at the L7 field and marks the lines that cause the findings", async ({ page }) => {
    await page.goto("/issues?namespaces=ambient-lab");
    await page.getByTestId("finding-MC1017-AuthorizationPolicy-search-get-only").getByRole("link", { name: "AuthorizationPolicy ambient-lab/search-get-only" }).click();
    await expect(page).toHaveURL(/\/istio\/ambient-lab\/AuthorizationPolicy\/search-get-only\?.*field=spec\.rules%5B0%5D\.to%5B0%5D\.operation\.methods/);
    const yaml = page.getByRole("region", { name: "AuthorizationPolicy search-get-only YAML" });
    const methods = yaml.locator("li[data-marked=warning]");
    await expect(methods).toHaveCount(1);
    await expect(methods).toContainText("methods:");
    await expect(methods).toContainText("MC1017");
    await expect(page.getByRole("region", { name: "Findings" }).getByTestId("object-finding-MC1017")).toContainText("which no waypoint serves");

    await page.goto("/istio/ambient-lab/AuthorizationPolicy/billing-admins");
    const selector = page.getByRole("region", { name: "AuthorizationPolicy billing-admins YAML" }).locator("li[data-marked=warning]");
    await expect(selector).toHaveCount(1);
    await expect(selector).toContainText("selector:");
    await expect(selector).toContainText("MC1018");
  });

  test("shows the findings on the workload and Service pages they are about", async ({ page }) => {
    await page.goto("/issues?namespaces=ambient-lab");
    await page.getByTestId("finding-MC1013-Deployment-notes").getByRole("link", { name: "Deployment ambient-lab/notes" }).click();
    await expect(page).toHaveURL(/\/workloads\/ambient-lab\/notes/);
    const workloadFindings = page.getByRole("region", { name: "Findings" });
    await expect(workloadFindings.getByTestId("object-finding-MC1013")).toContainText("the sidecar wins and ztunnel does not capture them");
    await expect(workloadFindings.getByTestId("object-finding-MC1013")).toContainText("spec.template.metadata.labels.sidecar.istio.io/inject");

    await page.goto("/services/ambient-lab/tickets");
    const serviceFindings = page.getByRole("region", { name: "Findings" });
    await expect(serviceFindings.getByTestId("object-finding-MC1016")).toContainText("set it to service or all on the waypoint");

    // A Service with nothing wrong says so.
    await page.goto("/services/ambient-lab/billing");
    await expect(page.getByRole("region", { name: "Findings" })).toContainText("No findings for this Service.");
  });
});
