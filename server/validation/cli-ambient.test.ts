import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runValidateCommand } from "./cli";
import { deploymentYaml, namespaceYaml, serviceYaml } from "./fixtures";
import { captureIo } from "./test-support";

/** An ambient namespace whose Service names a waypoint that is not there, and a sidecar asked for in it. */
const ambient =
  namespaceYaml("shop", "istio.io/dataplane-mode: ambient") +
  serviceYaml("cart", "shop", "istio.io/use-waypoint: cart-waypoint") +
  deploymentYaml("cart-v1", "shop", 'version: v1, sidecar.istio.io/inject: "true"', { app: "cart" });

describe("validate command on ambient manifests", () => {
  it("reports the missing waypoint and the sidecar asked for in an ambient namespace, with their fields", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "validate-ambient-"));
    writeFileSync(path.join(dir, "shop.yaml"), ambient);
    const run = captureIo();
    expect(await runValidateCommand(["validate", "-f", dir], run.io)).toBe(1);
    expect(run.out()).toContain(
      'Error [MC1015] (Service shop/cart metadata.labels.istio.io/use-waypoint) Service cart uses waypoint "cart-waypoint" in namespace shop, but no Gateway of that name exists there',
    );
    expect(run.out()).toContain("Error [MC1013] (Deployment shop/cart-v1 spec.template.metadata.labels.sidecar.istio.io/inject) The pods of Deployment cart-v1 ask for a sidecar");
  });
});
