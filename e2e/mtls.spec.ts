import { execFileSync } from "node:child_process";
import { demoEndpoints } from "./demoEndpoints";
import { expect, test } from "./fixtures";

/**
 * The demo's payments namespace (demo/manifests/40-payments.yaml): ledger has a proxy, batch-export
 * calls it steadily from pods that opt out of injection, so ledger receives plaintext.
 */
const NAMESPACE = "payments";
const CALLER = "batch-export";
const INJECT = "/spec/template/metadata/annotations/sidecar.istio.io~1inject";
/** A short window, so the plaintext from before the proxy was injected leaves it within a minute. */
const PAGE = `/security?namespaces=${NAMESPACE}&window=1m&mtls=${NAMESPACE}`;

function kubectl(...args: string[]): string {
  return execFileSync("kubectl", ["--kubeconfig", demoEndpoints().kubeconfig, "--namespace", NAMESPACE, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function setInjection(value: "true" | "false"): void {
  kubectl("patch", "deployment", CALLER, "--type=json", "-p", JSON.stringify([{ op: "replace", path: INJECT, value }]));
}

function namespacePolicy(): { metadata: { labels?: Record<string, string> }; spec: { mtls?: { mode?: string } } } | null {
  try {
    return JSON.parse(kubectl("get", "peerauthentication", "default", "-o", "json")) as ReturnType<typeof namespacePolicy>;
  } catch {
    return null;
  }
}

test.afterAll(() => {
  // Leave the demo as found (batch-export without a proxy, no policy) even when a step failed.
  try {
    setInjection("false");
    kubectl("delete", "peerauthentication", "default", "--ignore-not-found");
  } catch {
    // Nothing to restore.
  }
});

test("a namespace with a plaintext caller becomes ready once the caller has a proxy; STRICT is enforced and rolled back", async ({ page }) => {
  test.setTimeout(300_000);
  const verdict = async () => ((await (await page.request.get(`/api/security/mtls?namespaces=${NAMESPACE}&window=1m`)).json()) as { namespaces: { verdict: string }[] }).namespaces[0]?.verdict;
  // A freshly started demo needs a few scrapes before batch-export's calls show in Prometheus.
  await expect.poll(verdict, { timeout: 90_000, intervals: [3_000] }).toBe("plaintext");

  await page.goto(PAGE);
  const row = page.getByTestId(`mtls-namespace-${NAMESPACE}`);
  await expect(row).toContainText("Not ready: plaintext traffic");
  // The receiving proxy cannot name a caller without a proxy; the page names the candidates.
  const details = page.getByRole("region", { name: `mTLS in ${NAMESPACE}` });
  // The namespace's list (each workload row lists its own callers again).
  const caller = details.getByRole("list", { name: "Plaintext callers" }).first().getByTestId("mtls-caller-unidentified-ledger-v1");
  await expect(caller).toContainText("Unidentified caller");
  await expect(caller).toContainText(`Workloads without a proxy that could be sending it: ${NAMESPACE}/${CALLER}`);

  // Give batch-export a proxy: its pods are re-created with istio-proxy and its calls use mutual TLS.
  setInjection("true");
  await expect(async () => {
    await page.reload();
    await expect(row).toContainText("Safe to enforce STRICT", { timeout: 3_000 });
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  await expect(details.getByText("No plaintext traffic arrived in the window.").first()).toBeVisible();

  // Enforce STRICT: the confirm step shows the dry run and the diff; nothing is written before Apply.
  await row.getByRole("button", { name: `Enforce STRICT for ${NAMESPACE}` }).click();
  const enforce = page.getByRole("dialog", { name: `Enforce STRICT mutual TLS for namespace ${NAMESPACE}` });
  await expect(enforce.getByTestId("mtls-change-status")).toHaveText(`Dry run passed: PeerAuthentication ${NAMESPACE}/default will be created.`);
  const diff = enforce.getByRole("figure", { name: "Changes to apply" });
  await expect(diff).toContainText("added: kind: PeerAuthentication");
  await expect(diff).toContainText("mode: STRICT");
  expect(namespacePolicy()).toBeNull();
  await enforce.getByRole("button", { name: "Apply" }).click();
  await expect(enforce.getByTestId("mtls-change-status")).toHaveText(`Applied: PeerAuthentication ${NAMESPACE}/default was created.`);
  const stored = namespacePolicy();
  expect(stored?.spec.mtls?.mode).toBe("STRICT");
  // The console's mark (server/routing/istioObjects.ts): only what it created does rollback delete.
  expect(stored?.metadata.labels?.["mesh-console.io/created-by"]).toBe("mesh-console");
  await enforce.getByRole("button", { name: "Close" }).click();
  await expect(row).toContainText("STRICT");

  // Roll back: the console created the policy, so rolling back deletes it.
  await row.getByRole("button", { name: `Roll back mTLS for ${NAMESPACE}` }).click();
  const rollback = page.getByRole("dialog", { name: `Roll back the console's mTLS change for namespace ${NAMESPACE}` });
  await expect(rollback.getByTestId("mtls-change-status")).toHaveText(`Dry run passed: PeerAuthentication ${NAMESPACE}/default will be deleted.`);
  await expect(rollback.getByRole("figure", { name: "Changes to apply" })).toContainText("removed: ");
  await rollback.getByRole("button", { name: "Apply" }).click();
  await expect(rollback.getByTestId("mtls-change-status")).toHaveText(`Applied: PeerAuthentication ${NAMESPACE}/default was deleted.`);
  expect(namespacePolicy()).toBeNull();
});
