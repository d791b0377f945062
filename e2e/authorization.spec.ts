import { execFileSync } from "node:child_process";
import { demoEndpoints } from "./demoEndpoints";
import { expect, test } from "./fixtures";

/** details-v1 is called by productpage on every page view, whatever the reviews split is. */
const NAMESPACE = "bookinfo";
const WORKLOAD = "details-v1";
const POLICY = `mesh-console-allow-${WORKLOAD}`;
const PRODUCTPAGE_PRINCIPAL = "cluster.local/ns/bookinfo/sa/bookinfo-productpage";
/**
 * A caller the policy never saw: the simulator's dormant `details-auditor` client
 * (demo/simulator/call-graph.ts) calls details steadily once its Deployment exists, with its own
 * service account and so its own principal.
 */
const AUDITOR = "details-auditor";
const AUDITOR_MANIFEST = `
apiVersion: v1
kind: ServiceAccount
metadata:
  name: bookinfo-auditor
  namespace: ${NAMESPACE}
  labels:
    account: auditor
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${AUDITOR}
  namespace: ${NAMESPACE}
  labels:
    app: ${AUDITOR}
    version: v1
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${AUDITOR}
      version: v1
  template:
    metadata:
      labels:
        app: ${AUDITOR}
        version: v1
    spec:
      serviceAccountName: bookinfo-auditor
      containers:
      - name: auditor
        image: docker.io/curlimages/curl:8.8.0
`;

function kubectl(...args: string[]): string {
  return kubectlWithInput("", ...args);
}

function kubectlWithInput(input: string, ...args: string[]): string {
  return execFileSync("kubectl", ["--kubeconfig", demoEndpoints().kubeconfig, ...args], { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}

function consolePolicy(): { spec: { rules?: { from?: { source?: { principals?: string[] } }[] }[] } } | null {
  try {
    return JSON.parse(kubectl("get", "authorizationpolicy", POLICY, "-n", NAMESPACE, "-o", "json")) as ReturnType<typeof consolePolicy>;
  } catch {
    return null;
  }
}

/** Requests per second from a caller to details-v1 with this response code, as details' proxy reports them. */
async function callerRate(caller: string, code: string): Promise<number> {
  const query = `sum(rate(istio_requests_total{reporter="destination",destination_workload="${WORKLOAD}",destination_workload_namespace="${NAMESPACE}",source_workload="${caller}",response_code="${code}"}[30s]))`;
  const response = await fetch(`${demoEndpoints().prometheus}/api/v1/query?${new URLSearchParams({ query })}`);
  const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
  return Number(body.data.result[0]?.value[1] ?? 0);
}

test.afterAll(() => {
  // Leave the demo as found even when an assertion failed half-way.
  for (const [kind, name] of [["deployment", AUDITOR], ["serviceaccount", "bookinfo-auditor"], ["authorizationpolicy", POLICY]] as const) {
    try {
      kubectl("delete", kind, name, "-n", NAMESPACE, "--ignore-not-found");
    } catch {
      // Nothing to clean.
    }
  }
});

test("an ALLOW policy from details-v1's callers keeps productpage allowed and denies a newcomer (through Prometheus), then rolls back", async ({ page }) => {
  test.setTimeout(180_000);
  // A freshly started demo needs a few scrapes before productpage's calls show in Prometheus.
  const proposalPath = `/api/security/authorization?namespace=${NAMESPACE}&workload=${WORKLOAD}&window=5m`;
  await expect.poll(async () => JSON.stringify(await (await page.request.get(proposalPath)).json()), { timeout: 90_000, intervals: [5_000] }).toContain(PRODUCTPAGE_PRINCIPAL);
  await page.goto(`/workloads/${NAMESPACE}/${WORKLOAD}?window=5m`);
  const section = page.getByRole("region", { name: "Authorization from observed traffic" });
  await expect(section).toBeVisible();

  // The preview: productpage seen with its principal, allowed now and under the proposal.
  const productpage = section.getByTestId("authorization-caller").filter({ hasText: "bookinfo/productpage-v1" });
  await expect(productpage).toContainText(PRODUCTPAGE_PRINCIPAL, { timeout: 30_000 });
  await expect(productpage.locator("td").nth(3)).toContainText(/^Allowed/);
  await expect(section.getByTestId("authorization-policy-yaml")).toContainText(PRODUCTPAGE_PRINCIPAL);
  // A caller the window never saw would be denied (the same evaluator the demo enforces with).
  await expect(section.getByTestId("newcomer-decision")).toContainText("Denied");
  await expect(section.getByRole("listitem").filter({ hasText: "no request method, path or port" })).toBeVisible();

  await section.getByRole("button", { name: "Dry run" }).click();
  await expect(section.getByTestId("authorization-change-result")).toContainText("Dry run passed");
  expect(consolePolicy()).toBeNull();

  const acknowledge = section.getByRole("checkbox", { name: /denies traffic seen in the window/ });
  if (await acknowledge.isVisible()) await acknowledge.check();
  await section.getByRole("button", { name: "Apply policy" }).click();
  await expect(section.getByTestId("authorization-change-result")).toContainText(`Done: AuthorizationPolicy ${POLICY} was created`);
  const stored = consolePolicy();
  expect(stored?.spec.rules?.[0]?.from?.[0]?.source?.principals).toContain(PRODUCTPAGE_PRINCIPAL);

  // Through Prometheus: productpage's calls keep answering 200 and none is refused with 403 once the
  // policy has been in force for a whole rate window.
  await page.waitForTimeout(35_000);
  await expect.poll(() => callerRate("productpage-v1", "200"), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await callerRate("productpage-v1", "403")).toBe(0);

  // A newcomer: the auditor starts calling details with a principal the policy does not admit, and
  // within a few scrapes Prometheus shows its calls refused with 403 while productpage's still pass.
  kubectlWithInput(AUDITOR_MANIFEST, "apply", "-f", "-");
  await expect.poll(() => callerRate(AUDITOR, "403"), { timeout: 60_000, intervals: [3_000] }).toBeGreaterThan(0);
  expect(await callerRate(AUDITOR, "200")).toBe(0);
  expect(await callerRate("productpage-v1", "403")).toBe(0);
  expect(await callerRate("productpage-v1", "200")).toBeGreaterThan(0);
  // The workload's page shows them as denied, with the caveat that an app's own 403 looks the same.
  await page.reload();
  await expect(page.getByTestId("inbound-denied")).toContainText("Denied by policy", { timeout: 30_000 });
  await expect(page.getByTestId("inbound-denied")).toContainText("an app's own 403 looks the same");
  const auditorRow = page.getByRole("table", { name: "Callers" }).getByRole("row").filter({ hasText: AUDITOR });
  await expect(auditorRow.getByTestId("peer-denied")).toContainText("req/s");
  kubectl("delete", "deployment", AUDITOR, "-n", NAMESPACE);
  kubectl("delete", "serviceaccount", "bookinfo-auditor", "-n", NAMESPACE);

  // After the apply the console's policy is in force: the preview reads it as the current policy.
  await page.reload();
  await expect(section.getByTestId("authorization-caller").filter({ hasText: "bookinfo/productpage-v1" }).locator("td").nth(2)).toContainText(/^Allowed/);
  await expect(section.getByTestId("newcomer-decision")).toContainText("Denied");

  await section.getByRole("button", { name: "Roll back" }).click();
  await expect(section.getByTestId("authorization-change-result")).toContainText(`AuthorizationPolicy ${POLICY} was deleted`);
  expect(consolePolicy()).toBeNull();
});
