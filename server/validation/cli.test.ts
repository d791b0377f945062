import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runValidateCommand } from "./cli";
import { captureIo as capture } from "./test-support";

const broken = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: bookinfo }
spec: { host: reviews, subsets: [{ name: v1, labels: { version: v1 } }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: bookinfo }
spec:
  hosts: [reviews]
  http:
  - route:
    - { destination: { host: reviews, subset: v1 }, weight: 50 }
    - { destination: { host: reviews, subset: v4 }, weight: 50 }
`;

const service = `
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: bookinfo }
spec: { selector: { app: reviews }, ports: [{ name: http, port: 9080 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v1, namespace: bookinfo }
spec: { selector: { matchLabels: { app: reviews } }, template: { metadata: { labels: { app: reviews, version: v1 } }, spec: { containers: [{ name: app }] } } }
`;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "validate-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("validate command", () => {
  it("prints findings in istioctl style and exits 1 on errors (folders read recursively)", async () => {
    const dir = workspace({ "routes.yaml": broken, "nested/service.yml": service });
    const run = capture();
    const code = await runValidateCommand(["validate", "-f", dir], run.io);
    expect(code).toBe(1);
    expect(run.out()).toContain('Error [IST0101] (VirtualService bookinfo/reviews spec.http[0].route[1].destination.subset) Referenced subset not found: "v4"');
    expect(run.out()).toMatch(/1 error\(s\), \d+ warning\(s\)/);
  });

  it("emits JSON with -o json and exits 0 when nothing is wrong", async () => {
    const dir = workspace({ "service.yaml": service });
    const run = capture();
    const code = await runValidateCommand(["-f", path.join(dir, "service.yaml"), "-o", "json"], run.io);
    expect(code).toBe(0);
    const parsed = JSON.parse(run.out()) as { findings: unknown[]; counts: { error: number } };
    expect(parsed.counts.error).toBe(0);
  });

  it("exits 2 for unreadable input: missing file, broken YAML, bad arguments", async () => {
    const dir = workspace({ "bad.yaml": "kind: [unclosed" });
    for (const argv of [["-f", path.join(dir, "missing.yaml")], ["-f", path.join(dir, "bad.yaml")], ["-o", "xml", "-f", dir], []]) {
      const run = capture();
      expect(await runValidateCommand(argv, run.io)).toBe(2);
      expect(run.err()).toMatch(/validate: /);
    }
  });

  it("refuses alias bombs instead of expanding them", async () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`);
    const dir = workspace({ "bomb.yaml": bomb.join("\n") });
    const run = capture();
    expect(await runValidateCommand(["-f", dir], run.io)).toBe(2);
    expect(run.err()).toMatch(/alias/i);
  });
});
