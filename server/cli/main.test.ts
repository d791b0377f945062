import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const bin = path.resolve(import.meta.dirname, "..", "..", "bin", "mesh-console.mjs");
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000 });

describe("mesh-console command", () => {
  it("validate exits 1 with the finding when a route names a subset nobody defines", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "mesh-console-validate-"));
    writeFileSync(
      path.join(dir, "reviews.yaml"),
      [
        "apiVersion: networking.istio.io/v1",
        "kind: VirtualService",
        "metadata: {name: reviews, namespace: shop}",
        "spec:",
        "  hosts: [reviews]",
        "  http: [{route: [{destination: {host: reviews, subset: v9}}]}]",
        "---",
        "apiVersion: networking.istio.io/v1",
        "kind: DestinationRule",
        "metadata: {name: reviews, namespace: shop}",
        "spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}]}",
      ].join("\n"),
    );
    const result = run("validate", "-f", dir, "-o", "json");
    expect(result.status).toBe(1);
    const findings = JSON.parse(result.stdout) as unknown;
    expect(JSON.stringify(findings)).toContain("spec.http[0].route[0].destination.subset");
  });

  it("serve refuses a wrong setting before starting anything", () => {
    const result = run("serve", "--window", "forever");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("MESH_CONSOLE_WINDOW: expected one of");
  });

  it("names an unknown command and shows what exists", () => {
    const result = run("dashbord");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "dashbord"');
    expect(result.stderr).toContain("validate");
  });
});
