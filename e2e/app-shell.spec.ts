import { expect, test } from "./fixtures";

test.describe("app shell", () => {
  test("navigates between sections and keeps the view settings in the URL", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    // The namespaces come from the Kubernetes API: the demo's bookinfo namespace has a card.
    await expect(page.getByTestId("namespace-card-bookinfo")).toContainText("Sidecar injection enabled");

    await page.getByLabel("Time window").selectOption("1h");
    await expect(page).toHaveURL(/[?&]window=1h/);
    await page.getByLabel("Refresh interval").selectOption("30s");
    await expect(page).toHaveURL(/[?&]refresh=30s/);

    await page.getByRole("toolbar", { name: "View settings" }).getByText("Namespaces", { exact: true }).click();
    // The checkbox follows the URL, so it turns on once the link has changed.
    const bookinfo = page.getByRole("group", { name: "Namespaces" }).getByLabel("bookinfo");
    await bookinfo.click();
    await expect(page).toHaveURL(/[?&]namespaces=bookinfo/);
    await expect(bookinfo).toBeChecked();
    await expect(page.getByTestId("namespace-summary")).toHaveText("bookinfo");

    const sections = page.getByRole("navigation", { name: "Sections" });
    await sections.getByRole("link", { name: "Services" }).click();
    await expect(page).toHaveURL(/\/services\?/);
    await expect(page).toHaveURL(/window=1h/);
    await expect(page).toHaveURL(/refresh=30s/);
    await expect(page.getByRole("heading", { name: "Services" })).toBeVisible();
    const services = page.getByRole("table", { name: "Services" });
    await expect(services).toContainText("productpage");
    await expect(services).not.toContainText("istiod");

    await sections.getByRole("link", { name: "Workloads" }).click();
    await expect(page.getByRole("table", { name: "Workloads" })).toContainText("reviews-v2");
    await sections.getByRole("link", { name: "Istio Config" }).click();
    await expect(page.getByRole("table", { name: "Istio config" })).toContainText("DestinationRule");
    await expect(sections.getByRole("link", { name: "Istio Config" })).toHaveAttribute("aria-current", "page");
  });

  test("a shared link opens with its settings, and bad values are reported, not applied", async ({ page }) => {
    await page.goto("/workloads?namespaces=bookinfo&window=3h&refresh=off");
    await expect(page.getByLabel("Time window")).toHaveValue("3h");
    await expect(page.getByLabel("Refresh interval")).toHaveValue("off");
    await expect(page.getByTestId("namespace-summary")).toHaveText("bookinfo");

    await page.goto("/?window=forever&namespaces=Not_A_Name");
    await expect(page.getByText('Ignored window "forever"')).toBeVisible();
    await expect(page.getByText('Ignored namespace "Not_A_Name"')).toBeVisible();
    await expect(page.getByLabel("Time window")).toHaveValue("5m");
  });
});
