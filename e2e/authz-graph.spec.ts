import { expect, test } from "./fixtures";
import { meshObjects as customObjects, pointAtGraph, zoomInAndReadLabels } from "./graphCanvas";

const POLICY = { group: "security.istio.io", version: "v1", namespace: "bookinfo", plural: "authorizationpolicies", name: "e2e-deny-productpage-details" };
// productpage v1 → details: the caller's edge into the details service on the versioned app graph.
const EDGE = "versionedApp~bookinfo~productpage~v1>service~bookinfo~details~>http";

test.describe("AuthorizationPolicies on the graph", () => {
  test("marks the edge a DENY policy denies, in words, and shows its 403s", async ({ page }) => {
    const custom = customObjects();
    const { name, ...target } = POLICY;
    await custom.deleteNamespacedCustomObject(POLICY).catch(() => undefined);
    await custom.createNamespacedCustomObject({
      ...target,
      body: {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        metadata: { name, namespace: "bookinfo" },
        spec: { selector: { matchLabels: { app: "details" } }, action: "DENY", rules: [{ from: [{ source: { principals: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"] } }] }] },
      },
    });
    try {
      await page.goto("/graph?namespaces=bookinfo");
      await expect.poll(() => page.evaluate(() => window.__meshGraph?.nodeIds() ?? []), { timeout: 45_000 }).toContain("versionedApp~bookinfo~productpage~v1");
      // Labels too small to read are not drawn: zoom in at the centre until they are.
      await pointAtGraph(page);
      const label = async () => (await zoomInAndReadLabels(page, [EDGE]))[0] ?? "";
      await expect.poll(label, { timeout: 60_000, intervals: [2_000] }).toMatch(/would be denied.*denied \(403\)/);
      const graph = await page.evaluate(async () => (await fetch("/api/graph?namespaces=bookinfo")).json());
      const edge = graph.edges.find((candidate: { id: string }) => candidate.id === EDGE);
      expect(edge.policyDenial.policies).toEqual([`bookinfo/${name}`]);
    } finally {
      await custom.deleteNamespacedCustomObject(POLICY).catch(() => undefined);
    }
  });
});
