/**
 * Token sign-in for a person whose Kubernetes RBAC covers bookinfo only, when a bookinfo object
 * conflicts with one in a namespace they may not read: they see the finding on their own object,
 * but not the other object's name. A second Kubernetes API emulator, seeded like the demo's plus
 * two mesh VirtualServices for bookinfo's ratings host (one in bookinfo, one in mesh-lab), runs
 * next to the demo's, and a token-mode console uses it with the demo's Prometheus.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { signInAt, TEAM_TOKENS, teamConsole, type TeamConsole } from "./extraConsoles";
import { expect, test } from "./fixtures";

const TOKENS = TEAM_TOKENS;
/** The other team's object: its name must never reach the bookinfo person. */
const HIDDEN_NAME = "ratings-shadow-route";

const CONFLICT = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings-e2e
  namespace: bookinfo
spec:
  hosts: [ratings]
  http:
  - route:
    - destination: {host: ratings}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${HIDDEN_NAME}
  namespace: mesh-lab
spec:
  hosts: [ratings.bookinfo.svc.cluster.local]
  http:
  - route:
    - destination: {host: ratings.bookinfo.svc.cluster.local}
`;

let dir: string;
let team: TeamConsole;
let consoleUrl: string;

test.beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-findings-redaction-e2e-"));
  const conflict = path.join(dir, "conflict.yaml");
  await writeFile(conflict, CONFLICT);
  team = await teamConsole([conflict]);
  consoleUrl = team.url;
});

test.afterAll(async () => {
  await team?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const signIn = (page: Page, token: string, next: string) => signInAt(page, consoleUrl, token, next);

interface FindingJson {
  code: string;
  message: string;
  object: { kind: string; namespace: string; name: string };
  related?: unknown[];
}

/** The IST0109 finding on bookinfo's ratings-e2e, over HTTP with the browser's session cookie. */
async function conflictFinding(page: Page, namespaces: string): Promise<{ text: string; finding: FindingJson | undefined }> {
  const response = await page.request.get(`${consoleUrl}/api/validations?namespaces=${namespaces}`);
  expect(response.status()).toBe(200);
  const text = await response.text();
  const findings = (JSON.parse(text) as { findings: FindingJson[] }).findings;
  return { text, finding: findings.find((f) => f.code === "IST0109" && f.object.namespace === "bookinfo" && f.object.name === "ratings-e2e") };
}

test.describe("findings that name another namespace's object", () => {
  test("name it to a person who may read every namespace", async ({ page }) => {
    await signIn(page, TOKENS.admin, "/");
    const { finding } = await conflictFinding(page, "bookinfo");
    // Otherwise there would be nothing to withhold and the next test would prove nothing.
    expect(finding?.message).toContain(`also defined by mesh VirtualService mesh-lab/${HIDDEN_NAME}`);
    expect(finding?.related).toEqual([{ kind: "VirtualService", namespace: "mesh-lab", name: HIDDEN_NAME }]);
  });

  test("keep the finding but withhold the name from a person limited to bookinfo (reading another team's objects through a finding's message)", async ({ page }) => {
    await signIn(page, TOKENS.bookinfo, "/");
    const { text, finding } = await conflictFinding(page, "bookinfo");
    expect(finding).toMatchObject({ code: "IST0109", severity: "error", path: "spec.hosts[0]" });
    expect(finding?.message).toBe("Host ratings.bookinfo.svc.cluster.local is also defined by a mesh VirtualService in a namespace you may not read; which routes apply is undefined. Merge them into one VirtualService.");
    expect(finding?.related).toEqual([{ kind: "VirtualService", withheld: true }]);
    expect(text).not.toContain(HIDDEN_NAME);
    expect(text).not.toContain("mesh-lab");

    await page.goto(`${consoleUrl}/issues?namespaces=bookinfo`);
    const item = page.getByRole("region", { name: "Errors" }).getByTestId("finding-IST0109-VirtualService-ratings-e2e");
    await expect(item).toContainText("also defined by a mesh VirtualService in a namespace you may not read");
    await expect(page.locator("body")).not.toContainText(HIDDEN_NAME);
  });
});
