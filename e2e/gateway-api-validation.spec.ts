import { expect, test } from "./fixtures";

/**
 * The demo's mesh-lab HTTPRoute `reports` (demo/manifests/31-mesh-lab-gateway-api.yaml) sends its
 * first rule to a Service that does not exist and its second to `payments/ledger` without a
 * ReferenceGrant. Both show on the Issues page with their messages, and on the route's config page
 * on the very lines that cause them.
 */
test.describe("Gateway API validation", () => {
  test("lists the route's missing backend and its cross-namespace backend without a ReferenceGrant", async ({ page }) => {
    await page.goto("/issues?namespaces=mesh-lab");
    const errors = page.getByRole("region", { name: "Errors" });
    await expect(errors.getByTestId("finding-IST0101-HTTPRoute-reports")).toContainText('Referenced backend not found: "reports-v2.mesh-lab.svc.cluster.local"');
    await expect(errors.getByTestId("finding-IST0101-HTTPRoute-reports")).toContainText("spec.rules[0].backendRefs[0].name");
    const crossNamespace = errors.getByTestId("finding-MC1010-HTTPRoute-reports");
    await expect(crossNamespace).toContainText('Service payments/ledger is in another namespace and no ReferenceGrant in "payments" lets HTTPRoutes from "mesh-lab" refer to it');
    await expect(crossNamespace).toContainText("spec.rules[1].backendRefs[0].namespace");
  });

  test("opens the route at the field and marks both lines with their findings", async ({ page }) => {
    await page.goto("/issues?namespaces=mesh-lab");
    await page.getByTestId("finding-MC1010-HTTPRoute-reports").getByRole("link", { name: "HTTPRoute mesh-lab/reports" }).click();
    await expect(page).toHaveURL(/\/istio\/mesh-lab\/HTTPRoute\/reports\?.*field=spec\.rules%5B1%5D\.backendRefs%5B0%5D\.namespace/);

    const yaml = page.getByRole("region", { name: "HTTPRoute reports YAML" });
    const missing = yaml.locator("li[data-marked=error]").filter({ hasText: "name: reports-v2" });
    await expect(missing).toHaveCount(1);
    await expect(missing).toContainText("IST0101");
    const notPermitted = yaml.locator("li[data-marked=error]").filter({ hasText: "namespace: payments" });
    await expect(notPermitted).toHaveCount(1);
    await expect(notPermitted).toContainText("MC1010");
    // Nothing else in the route is marked as an error: the parentRef to Service reports is fine.
    await expect(yaml.locator("li[data-marked=error]")).toHaveCount(2);

    const findings = page.getByRole("region", { name: "Findings" });
    await expect(findings.getByTestId("object-finding-IST0101")).toContainText('Referenced backend not found: "reports-v2.mesh-lab.svc.cluster.local"');
    await expect(findings.getByTestId("object-finding-MC1010")).toContainText('no ReferenceGrant in "payments" lets HTTPRoutes from "mesh-lab" refer to it');
  });
});
