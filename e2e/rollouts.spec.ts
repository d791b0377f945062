/**
 * Canary autopilot against the demo: the storefront's `catalog`, routed by the HTTPRoute `catalog`
 * (80/20 over catalog-v1/catalog-v2). A healthy canary is started from the traffic-shifting wizard
 * and promoted to 100 %; an unhealthy one (the simulator fails half of catalog-v2's requests, by
 * its pod template annotation) aborts and returns to 80/20. Both are read back as an operator would:
 * kubectl for the route, Prometheus for the traffic.
 */
import { execFileSync, spawnSync } from "node:child_process";
import type { APIRequestContext } from "@playwright/test";
import { demoEndpoints } from "./demoEndpoints";
import { expect, test } from "./fixtures";

const SAME_ORIGIN = { "x-mesh-console": "1" };

/** Whether kubectl runs here (the tests skip with the reason otherwise). */
const kubectlAvailable = () => spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;

function kubectl(...args: string[]): string {
  return execFileSync("kubectl", ["--kubeconfig", demoEndpoints().kubeconfig, "-n", "storefront", ...args], { encoding: "utf8" });
}

/** The default rule's backend weights, as `kubectl get httproute catalog -o json` shows them. */
function routeWeights(): Record<string, number> {
  const route = JSON.parse(kubectl("get", "httproute", "catalog", "-o", "json")) as { spec: { rules: { backendRefs?: { name: string; weight?: number }[] }[] } };
  return Object.fromEntries((route.spec.rules.at(-1)!.backendRefs ?? []).map((backend) => [backend.name, backend.weight ?? 1]));
}

/** catalog-v2's share of the requests to catalog's versions over the last `window`, from the client proxies' reports. */
async function prometheusShare(request: APIRequestContext, window: string): Promise<{ v2Share: number | null; v2Failed: number | null }> {
  const scope = `reporter="source",destination_service_namespace="storefront",destination_service_name=~"catalog-v1|catalog-v2"`;
  const query = async (promql: string) => {
    const answer = (await (await request.get(`${demoEndpoints().prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as { data: { result: { value: [number, string] }[] } };
    const value = answer.data.result[0]?.value[1];
    return value === undefined ? null : Number(value);
  };
  const v2 = `sum(rate(istio_requests_total{${scope},destination_workload="catalog-v2"}[${window}]))`;
  return {
    v2Share: await query(`${v2} / sum(rate(istio_requests_total{${scope}}[${window}]))`),
    v2Failed: await query(`sum(rate(istio_requests_total{${scope},destination_workload="catalog-v2",response_code=~"5.."}[${window}])) / ${v2}`),
  };
}

/** The configured share the graph shows on callers' edges to the version Service catalog-v2. */
async function configuredOnGraph(request: APIRequestContext): Promise<number | null> {
  const graph = (await (await request.get("/api/graph?namespaces=storefront&graphType=versionedApp&duration=30s")).json()) as { nodes: { id: string; kind: string; name: string }[]; edges: { target: string; configuredPercent: number | null }[] };
  const v2 = graph.nodes.find((node) => node.kind === "service" && node.name === "catalog-v2")?.id;
  return graph.edges.find((edge) => edge.target === v2)?.configuredPercent ?? null;
}

async function rolloutOf(request: APIRequestContext) {
  const answer = (await (await request.get("/api/namespaces/storefront/services/catalog/rollout")).json()) as { rollout: null | { progress: { phase: string; stepIndex: number; reason?: string }; events: { kind: string; message: string; stepIndex: number }[] } };
  return answer.rollout;
}

/** Back to the demo's state: no rollout, 80/20, no injected errors. */
async function restore(request: APIRequestContext): Promise<void> {
  const rollout = await rolloutOf(request);
  if (rollout && (rollout.progress.phase === "progressing" || rollout.progress.phase === "paused")) {
    await request.post("/api/namespaces/storefront/services/catalog/rollout/command", { headers: SAME_ORIGIN, data: { command: "abort" } });
  }
  kubectl("delete", "configmap", "mesh-console-rollout-catalog", "--ignore-not-found");
  kubectl("delete", "lease", "mesh-console-rollout-catalog", "--ignore-not-found");
  kubectl("patch", "deployment", "catalog-v2", "--type=merge", "-p", JSON.stringify({ spec: { template: { metadata: { annotations: { "demo.mesh-console.io/error-rate": null } } } } }));
  const response = await request.put("/api/namespaces/storefront/services/catalog/traffic-shift", { headers: SAME_ORIGIN, data: { weights: { v1: 80, v2: 20 } } });
  expect(response.ok(), await response.text()).toBe(true);
}

test.describe("canary autopilot", () => {
  test.skip(!kubectlAvailable(), "kubectl is not installed: the tests read the HTTPRoute and the rollout's objects with kubectl, as an operator would");
  test.describe.configure({ mode: "serial" });

  test.beforeEach(async ({ request }) => restore(request));
  test.afterEach(async ({ request }) => restore(request));

  test("a healthy canary started from the traffic-shifting wizard reaches 100 %", async ({ page, request }) => {
    test.setTimeout(180_000);
    await page.goto("/services/storefront/catalog");
    const autopilot = page.getByRole("region", { name: "Canary autopilot" });
    await expect(autopilot).toContainText("No rollout of this service");
    await page.getByRole("region", { name: "Traffic management" }).getByRole("button", { name: "Traffic shifting" }).click();
    await page.getByRole("button", { name: "Start rollout…" }).click();
    const form = page.getByRole("form", { name: "Rollout plan" });
    await expect(form).toContainText("Rollout of v2 (stable v1)");

    // A wrong field is explained where it is typed, and the plan cannot be started.
    await form.getByLabel("Canary weight per step (%)").fill("50, 40, 100");
    await expect(form).toContainText("each step sends more to the canary than the one before");
    await expect(form.getByRole("button", { name: "Start rollout" })).toBeDisabled();

    await form.getByLabel("Preset").selectOption("quick");
    await form.getByLabel("Canary weight per step (%)").fill("50, 100");
    await form.getByLabel("Wait per step (s)").fill("10");
    await form.getByLabel("Check every (s)").fill("5");
    await form.getByLabel("Requests a check needs").fill("10");
    // Both versions answer alike; the comparison with stable is left out so histogram noise over short windows cannot fail it.
    await form.getByLabel("p95 at most this much above stable (%)").fill("");
    await form.getByRole("button", { name: "Start rollout" }).click();

    // The first step is written at once; the timeline names who started it.
    await expect(autopilot.getByRole("status", { name: "Rollout status" })).toContainText("v2 at 50 %");
    expect(routeWeights()).toEqual({ "catalog-v1": 50, "catalog-v2": 50 });
    await expect(autopilot.getByRole("list", { name: "Rollout timeline" })).toContainText("started by");

    // The driver checks the gates from Prometheus and promotes; the timeline shows the figures.
    await expect(autopilot.getByRole("status", { name: "Rollout status" })).toContainText("promoted", { timeout: 90_000 });
    await expect(autopilot.getByRole("list", { name: "Rollout timeline" })).toContainText(/every step passed its checks \(requests \d+ meets 10; success rate 100.00 % meets 99.00 %/);
    await expect(autopilot.getByRole("table", { name: "Gate evaluations" }).first()).toContainText("success rate");
    expect(routeWeights()).toEqual({ "catalog-v1": 0, "catalog-v2": 100 });

    // Prometheus sees the traffic follow: all of catalog's requests go to catalog-v2.
    await expect.poll(async () => (await prometheusShare(request, "10s")).v2Share, { timeout: 60_000, message: "catalog-v2's share of catalog's requests in Prometheus" }).toBe(1);

    // The graph's configured-versus-observed labels read the route, so they follow the rollout's weights.
    await expect.poll(async () => configuredOnGraph(request), { timeout: 30_000, message: "the configured share on the graph's edges to catalog-v2" }).toBe(100);

    // The rollouts list shows it with its status, and links to the service.
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Rollouts" }).click();
    const row = page.getByRole("table", { name: "Rollouts" }).getByRole("row").filter({ hasText: "catalog" });
    await expect(row).toContainText("promoted");
    await expect(row).toContainText("v2 at 100 % (stable v1)");
    await expect(row).toContainText("HTTPRoute catalog");
  });

  test("an unhealthy canary aborts and returns to the weights it started from", async ({ page, request }) => {
    test.setTimeout(180_000);
    kubectl("patch", "deployment", "catalog-v2", "--type=merge", "-p", JSON.stringify({ spec: { template: { metadata: { annotations: { "demo.mesh-console.io/error-rate": "0.5" } } } } }));
    // The canary fails in Prometheus before the rollout starts (the stable version does not).
    await expect.poll(async () => (await prometheusShare(request, "10s")).v2Failed ?? 0, { timeout: 60_000, message: "catalog-v2's failed share in Prometheus" }).toBeGreaterThan(0.3);

    const plan = { steps: [50, 100], stepSeconds: 60, intervalSeconds: 5, failureLimit: 2, gates: { minSuccessRate: 0.95, maxP95Ms: null, maxP99Ms: null, maxP95IncreaseOverStable: null, minRequestsPerCheck: 10 } };
    const started = await request.post("/api/namespaces/storefront/services/catalog/rollout", { headers: SAME_ORIGIN, data: { stable: "v1", canary: "v2", plan } });
    expect(started.status(), await started.text()).toBe(201);
    expect(routeWeights()).toEqual({ "catalog-v1": 50, "catalog-v2": 50 });

    // Documented: two failed checks 5 s apart, each within a 5 s pass of the loop: aborted well within 30 s.
    await expect.poll(async () => (await rolloutOf(request))?.progress.phase, { timeout: 30_000, message: "the rollout's phase" }).toBe("aborted");
    const rollout = (await rolloutOf(request))!;
    expect(rollout.progress.reason).toMatch(/success rate \d+\.\d\d % below 95.00 %: check failed 2 of 2 allowed times, restoring the starting weights/);
    expect(rollout.events.map((event) => event.kind).filter((kind) => kind === "failed-check" || kind === "aborted")).toEqual(["failed-check", "aborted"]);
    expect(routeWeights()).toEqual({ "catalog-v1": 80, "catalog-v2": 20 });

    // The service page's timeline shows the failed checks with their figures against the threshold.
    await page.goto("/services/storefront/catalog");
    const autopilot = page.getByRole("region", { name: "Canary autopilot" });
    await expect(autopilot.getByRole("status", { name: "Rollout status" })).toContainText("aborted: v2 at 20 %");
    await expect(autopilot.getByRole("list", { name: "Rollout timeline" }).getByRole("listitem").filter({ hasText: "Failed check" })).toContainText(/success rate \d+\.\d\d % below 95.00 %/);
    await expect(autopilot.getByRole("group", { name: "Rollout controls" })).toHaveCount(0);

    // Prometheus sees catalog-v2 back at about a fifth of catalog's requests.
    await expect.poll(async () => (await prometheusShare(request, "10s")).v2Share ?? 1, { timeout: 60_000, message: "catalog-v2's share after the abort" }).toBeLessThan(0.35);
  });

  test("pause and abort by hand are recorded with who did them", async ({ page, request }) => {
    test.setTimeout(120_000);
    const plan = { steps: [30, 60, 100], stepSeconds: 600, intervalSeconds: 5, failureLimit: 2, gates: { minSuccessRate: 0.95, maxP95Ms: null, maxP99Ms: null, maxP95IncreaseOverStable: null, minRequestsPerCheck: 10 } };
    const started = await request.post("/api/namespaces/storefront/services/catalog/rollout", { headers: SAME_ORIGIN, data: { stable: "v1", canary: "v2", plan } });
    expect(started.status(), await started.text()).toBe(201);
    await page.goto("/services/storefront/catalog");
    const autopilot = page.getByRole("region", { name: "Canary autopilot" });
    const controls = autopilot.getByRole("group", { name: "Rollout controls" });
    await controls.getByRole("button", { name: "Pause" }).click();
    await expect(autopilot.getByRole("status", { name: "Rollout status" })).toContainText(/paused: v2 at 30 %.*paused by \S+/);
    await controls.getByRole("button", { name: "Abort and restore" }).click();
    await expect(autopilot.getByRole("status", { name: "Rollout status" })).toContainText(/aborted: v2 at 20 %.*aborted by \S+/);
    await expect(autopilot.getByRole("list", { name: "Rollout timeline" }).getByRole("listitem").first()).toContainText(/Aborted at 20 % \(step 1\) by \S+/);
    expect(routeWeights()).toEqual({ "catalog-v1": 80, "catalog-v2": 20 });
  });
});
