import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Page } from "@playwright/test";
import { stringify } from "yaml";
import { demoEndpoints } from "./demoEndpoints";
import { expect, test } from "./fixtures";

const run = promisify(execFile);

/** kubectl against the demo's API, as an operator working beside the console would. */
async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run("kubectl", ["--kubeconfig", demoEndpoints().kubeconfig, "--namespace", "mesh-lab", ...args]);
  return stdout;
}

function jsonPatch(kind: string, name: string, patch: unknown[]): Promise<string> {
  return kubectl("patch", kind, name, "--type=json", "-p", JSON.stringify(patch));
}

/** A marker on the page's window: still there later means the page was never reloaded. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => Object.assign(window, { meshConsoleNotReloaded: true }));
}
async function expectNotReloaded(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { meshConsoleNotReloaded?: boolean }).meshConsoleNotReloaded)).toBe(true);
}

test.describe.configure({ mode: "serial" });

test.describe("Istio config and misconfigurations", () => {
  test.afterAll(async () => {
    // Put the deliberate misconfigurations back for whatever runs next against the same demo.
    const route = JSON.parse(await kubectl("get", "virtualservice", "catalog", "-o", "json")) as { spec: { http: { route: { destination: { subset?: string } }[] }[] } };
    if (route.spec.http[0]?.route[1]?.destination.subset !== "v2") await jsonPatch("virtualservice", "catalog", [{ op: "replace", path: "/spec/http/0/route/1/destination/subset", value: "v2" }]);
    await jsonPatch("service", "legacy", [{ op: "replace", path: "/spec/ports/0/name", value: "web" }]);
  });

  test("flags the demo's deliberate misconfigurations in the config list, on the Issues page and on the overview", async ({ page }) => {
    await page.goto("/istio?namespaces=mesh-lab");
    const table = page.getByRole("table", { name: "Istio config" });
    await expect(table.getByTestId("config-mesh-lab-VirtualService-catalog")).toContainText("Error");
    await expect(table.getByTestId("config-mesh-lab-Gateway-lab-gateway")).toContainText("Error");
    await expect(table.getByTestId("config-mesh-lab-DestinationRule-catalog")).toContainText("Valid");

    await page.getByRole("search", { name: "Filter Istio config" }).getByLabel("Status").selectOption("error");
    await expect(page).toHaveURL(/[?&]status=error/);
    // mesh-lab's deliberately broken Gateway API route (demo/manifests/31-mesh-lab-gateway-api.yaml) is listed with them.
    await expect(table.locator("tbody tr")).toHaveCount(3);
    await expect(table.getByTestId("config-mesh-lab-HTTPRoute-reports")).toContainText("Error");
    await expect(table).not.toContainText("DestinationRule");

    await page.goto("/issues?namespaces=mesh-lab");
    const errors = page.getByRole("region", { name: "Errors" });
    await expect(errors.getByTestId("finding-IST0101-VirtualService-catalog")).toContainText('Referenced subset not found: "v2"');
    await expect(errors.getByTestId("finding-IST0101-Gateway-lab-gateway")).toContainText("istio=lab-ingress");
    const info = page.getByRole("region", { name: "Info" });
    await expect(info.getByTestId("finding-IST0118-Service-legacy")).toContainText('Port "web"');
    await expect(info.getByRole("link", { name: "Service mesh-lab/legacy" })).toHaveAttribute("href", "/services/mesh-lab/legacy");

    await page.goto("/?namespaces=mesh-lab");
    // The two Istio errors and the broken HTTPRoute's two (a missing backend, a reference no ReferenceGrant allows).
    await expect(page.getByTestId("namespace-card-mesh-lab").getByTestId("namespace-validations")).toContainText("4 errors");
  });

  test("marks the finding on its line, and a fix saved in the editor clears it without a reload", async ({ page }) => {
    await page.goto("/issues?namespaces=mesh-lab&refresh=5s");
    await page.getByTestId("finding-IST0101-VirtualService-catalog").getByRole("link", { name: "VirtualService mesh-lab/catalog" }).click();
    await expect(page).toHaveURL(/\/istio\/mesh-lab\/VirtualService\/catalog\?.*field=spec\.http/);
    const yaml = page.getByRole("region", { name: "VirtualService catalog YAML" });
    const marked = yaml.locator("li[data-marked=error]");
    await expect(marked).toHaveCount(1);
    await expect(marked).toContainText("subset: v2");
    await expect(marked).toContainText("IST0101");
    await markPage(page);

    await page.getByRole("button", { name: "Edit" }).click();
    const editor = page.getByRole("textbox", { name: "Edit VirtualService catalog" });
    const text = await editor.inputValue();
    expect(text).toContain("subset: v2");
    await editor.fill(text.replace("subset: v2", "subset: v1"));
    await page.getByRole("button", { name: "Check" }).click();
    await expect(page.getByRole("status").filter({ hasText: "dry run" })).toBeVisible();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved VirtualService mesh-lab/catalog" })).toBeVisible();

    await expect(yaml.locator("li[data-marked]")).toHaveCount(0);
    await expect(page.getByText("No findings for this object.")).toBeVisible();
    await expectNotReloaded(page);
  });

  test("a change made with kubectl clears its finding on the Issues page without a reload", async ({ page }) => {
    await page.goto("/issues?namespaces=mesh-lab&refresh=5s");
    const finding = page.getByTestId("finding-IST0118-Service-legacy");
    await expect(finding).toBeVisible();
    await markPage(page);
    await jsonPatch("service", "legacy", [{ op: "replace", path: "/spec/ports/0/name", value: "http-web" }]);
    await expect(finding).toHaveCount(0);
    await expect(page.getByTestId("finding-IST0101-Gateway-lab-gateway")).toBeVisible();
    await expectNotReloaded(page);
  });

  test("saving over someone else's change is refused with a conflict and offers a reload", async ({ page }) => {
    await page.goto("/istio/mesh-lab/VirtualService/catalog");
    await page.getByRole("button", { name: "Edit" }).click();
    const editor = page.getByRole("textbox", { name: "Edit VirtualService catalog" });
    const text = await editor.inputValue();

    await kubectl("label", "virtualservice", "catalog", "changed-by=kubectl", "--overwrite");
    await editor.fill(text.replace("weight: 90", "weight: 80").replace("weight: 10", "weight: 20"));
    await page.getByRole("button", { name: "Save" }).click();
    const conflict = page.getByRole("alert").filter({ hasText: "Someone else changed this object" });
    await expect(conflict).toContainText("VirtualService mesh-lab/catalog was changed by someone else since you opened it; reload to see the new version");

    const stored = JSON.parse(await kubectl("get", "virtualservice", "catalog", "-o", "json")) as { spec: { http: { route: { weight?: number }[] }[] } };
    expect(stored.spec.http[0]?.route[0]?.weight).toBe(90);

    await conflict.getByRole("button", { name: "Reload the current version" }).click();
    await expect(page.getByRole("region", { name: "VirtualService catalog YAML" })).toContainText("changed-by: kubectl");
    await kubectl("label", "virtualservice", "catalog", "changed-by-");
  });

  test("creates an object from its kind's template and deletes it after a confirmation naming it", async ({ page }) => {
    await page.goto("/istio?namespaces=mesh-lab");
    await page.getByRole("link", { name: "Create…" }).click();
    await expect(page).toHaveURL(/\/istio\/new\?kind=VirtualService&namespace=mesh-lab/);
    await page.getByLabel("Kind").selectOption("DestinationRule");
    const editor = page.getByRole("textbox", { name: "New DestinationRule" });
    await expect(editor).toHaveValue(/kind: DestinationRule/);
    await editor.fill((await editor.inputValue()).replace("name: my-service", "name: web-e2e").replace("host: my-service", "host: web"));
    await page.getByRole("button", { name: "Create" }).click();
    await expect(page).toHaveURL(/\/istio\/mesh-lab\/DestinationRule\/web-e2e/);
    await expect(page.getByRole("region", { name: "DestinationRule web-e2e YAML" })).toContainText("host: web");

    await page.getByRole("button", { name: "Delete…" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Confirm delete" });
    await expect(confirm).toContainText("Delete DestinationRule mesh-lab/web-e2e?");
    await confirm.getByRole("button", { name: "Delete DestinationRule web-e2e" }).click();
    await expect(page).toHaveURL(/\/istio\?namespaces=mesh-lab/);
    await expect(page.getByRole("table", { name: "Istio config" })).not.toContainText("web-e2e");
  });

  test("the write API refuses cross-site and non-JSON requests and unsafe YAML before touching the cluster", async ({ request }) => {
    const url = "/api/istio-config/mesh-lab/VirtualService/catalog";
    const body = { yaml: "kind: VirtualService", resourceVersion: "1" };
    const withoutHeader = await request.put(url, { data: body });
    expect(withoutHeader.status()).toBe(403);
    const asText = await request.put(url, { headers: { "x-mesh-console": "1", "content-type": "text/plain" }, data: JSON.stringify(body) });
    expect(asText.status()).toBe(415);
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, level) => {
      const previous = String.fromCharCode(97 + level);
      const next = String.fromCharCode(98 + level);
      return `${next}: &${next} [${Array(9).fill(`*${previous}`).join(", ")}]`;
    })].join("\n");
    const bomb = await request.put(url, { headers: { "x-mesh-console": "1" }, data: { yaml: laughs, resourceVersion: "1" } });
    expect(bomb.status()).toBe(400);
    const stringWeight = (await request.get(url).then((response) => response.json())) as { object: { metadata: { resourceVersion: string }; spec: { http: { route: { weight?: unknown }[] }[] } } };
    stringWeight.object.spec.http[0]!.route[0]!.weight = "90";
    const invalid = await request.put(`${url}?dryRun=true`, { headers: { "x-mesh-console": "1" }, data: { yaml: stringify(stringWeight.object), resourceVersion: stringWeight.object.metadata.resourceVersion } });
    expect(invalid.status()).toBe(422);
    expect((await invalid.json()).error.fields).toContainEqual({ field: "spec.http[0].route[0].weight", message: "must be of type integer" });
  });
});
