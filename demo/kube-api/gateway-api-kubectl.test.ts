/**
 * The Gateway API as a user meets it on a cluster with the release's CRDs installed: real kubectl
 * applies the CRDs, then Istio's Gateway API Bookinfo samples (the ingress Gateway and HTTPRoute,
 * and the reviews 90/10 canary routed through per-version Services), lists, patches and prints
 * them, shows the CRDs' CEL rejections, writes status through /status; @kubernetes/client-node
 * lists and patches the same objects.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayApiCrdsDir } from "./corpus";
import { startKubeApi, type KubeApi } from "./index";
import { kubectlFor, kubectlFound, type Kubectl } from "./testing-kubectl";

const crdsDir = gatewayApiCrdsDir();
if (!kubectlFound) console.warn("gateway-api-kubectl.test.ts skipped: kubectl is not on PATH");
else if (!crdsDir) console.warn("gateway-api-kubectl.test.ts skipped: ../shared/corpus/gateway-api-crds (the Gateway API v1.6.1 CRDs) is not next to the repository");

/** Equivalent to Istio's samples/bookinfo/gateway-api/bookinfo-gateway.yaml. */
const BOOKINFO_GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: bookinfo-gateway
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: Same
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bookinfo
spec:
  parentRefs:
  - name: bookinfo-gateway
  rules:
  - matches:
    - path:
        type: Exact
        value: /productpage
    - path:
        type: PathPrefix
        value: /static
    - path:
        type: Exact
        value: /login
    - path:
        type: Exact
        value: /logout
    - path:
        type: PathPrefix
        value: /api/v1/products
    backendRefs:
    - name: productpage
      port: 9080
`;

/** One Service per version, as Istio's Gateway API canary samples expect next to the reviews Service. */
const REVIEWS_VERSION_SERVICES = ["v1", "v2", "v3"]
  .map(
    (version) => `apiVersion: v1
kind: Service
metadata:
  name: reviews-${version}
spec:
  ports:
  - port: 9080
    name: http
  selector:
    app: reviews
    version: ${version}
`,
  )
  .join("---\n");

/** Equivalent to Istio's samples/bookinfo/gateway-api/route-reviews-90-10.yaml: a GAMMA route on the reviews Service. */
const REVIEWS_90_10 = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
spec:
  parentRefs:
  - group: ""
    kind: Service
    name: reviews
    port: 9080
  rules:
  - backendRefs:
    - name: reviews-v1
      port: 9080
      weight: 90
    - name: reviews-v2
      port: 9080
      weight: 10
`;

let api: KubeApi;
let dir: string;
let kubectl: Kubectl;

async function manifest(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

beforeAll(async () => {
  if (!kubectlFound || !crdsDir) return;
  dir = await mkdtemp(path.join(tmpdir(), "kube-api-gateway-api-"));
  api = await startKubeApi({ seed: [path.resolve(__dirname, "../manifests")], kubeconfigPath: path.join(dir, "kubeconfig") });
  kubectl = kubectlFor(api.kubeconfigPath ?? "", path.join(dir, "cache"));
}, 60_000);

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!kubectlFound || !crdsDir)("the Gateway API with the release's CRDs, through kubectl", () => {
  it("applies the CRDs, which become established and serve their kinds", async () => {
    const applied = (await kubectl.run("apply", "-f", crdsDir ?? "")).stdout;
    expect(applied).toContain("customresourcedefinition.apiextensions.k8s.io/httproutes.gateway.networking.k8s.io created");
    expect(applied).toContain("customresourcedefinition.apiextensions.k8s.io/backendtlspolicies.gateway.networking.k8s.io created");
    const established = await kubectl.run("get", "crd", "httproutes.gateway.networking.k8s.io", "-o", 'jsonpath={.status.conditions[?(@.type=="Established")].status}');
    expect(established.stdout).toBe("True");
    const resources = (await kubectl.run("api-resources", "--api-group=gateway.networking.k8s.io", "--no-headers")).stdout;
    const rows = Object.fromEntries(resources.trim().split("\n").map((line) => { const cells = line.trim().split(/\s+/); return [cells[0], cells.slice(1).join(" ")]; }));
    expect(rows).toEqual({
      backendtlspolicies: "btlspolicy gateway.networking.k8s.io/v1 true BackendTLSPolicy",
      gatewayclasses: "gc gateway.networking.k8s.io/v1 false GatewayClass",
      gateways: "gtw gateway.networking.k8s.io/v1 true Gateway",
      grpcroutes: "gateway.networking.k8s.io/v1 true GRPCRoute",
      httproutes: "gateway.networking.k8s.io/v1 true HTTPRoute",
      referencegrants: "refgrant gateway.networking.k8s.io/v1 true ReferenceGrant",
      tcproutes: "gateway.networking.k8s.io/v1 true TCPRoute",
      tlsroutes: "gateway.networking.k8s.io/v1 true TLSRoute",
    });
  });

  it("applies Istio's Bookinfo Gateway API samples and lists them with the CRDs' columns", async () => {
    expect((await kubectl.run("apply", "-n", "bookinfo", "-f", await manifest("bookinfo-gateway.yaml", BOOKINFO_GATEWAY))).stdout).toContain("httproute.gateway.networking.k8s.io/bookinfo created");
    await kubectl.run("apply", "-n", "bookinfo", "-f", await manifest("reviews-services.yaml", REVIEWS_VERSION_SERVICES));
    expect((await kubectl.run("apply", "-n", "bookinfo", "-f", await manifest("route-reviews-90-10.yaml", REVIEWS_90_10))).stdout).toContain("httproute.gateway.networking.k8s.io/reviews created");

    const listed = (await kubectl.run("get", "gateways.gateway.networking.k8s.io,httproutes", "-n", "bookinfo")).stdout;
    expect(listed).toMatch(/NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE/);
    expect(listed).toMatch(/gateway\.gateway\.networking\.k8s\.io\/bookinfo-gateway\s+istio\s+/);
    expect(listed).toMatch(/NAME\s+HOSTNAMES\s+AGE/);
    expect(listed).toMatch(/httproute\.gateway\.networking\.k8s\.io\/reviews\s+/);
    // The short name the CRD declares resolves to the Gateway API's Gateway, not Istio's.
    expect((await kubectl.run("get", "gtw", "-n", "bookinfo", "-o", "name")).stdout.trim()).toBe("gateway.gateway.networking.k8s.io/bookinfo-gateway");
  });

  it("prints the route with the defaults the CRD's schema fills in", async () => {
    const yamlText = (await kubectl.run("get", "httproute", "reviews", "-n", "bookinfo", "-o", "yaml")).stdout;
    // parentRefs, backendRefs and matches get the CRD's defaults: the Service parentRef keeps its
    // explicit group, backendRefs gain group "" and kind Service, the rule a "/" PathPrefix match.
    expect(yamlText).toMatch(/backendRefs:\n\s+- group: ""\n\s+kind: Service\n\s+name: reviews-v1\n\s+port: 9080\n\s+weight: 90/);
    expect(yamlText).toMatch(/matches:\n\s+- path:\n\s+type: PathPrefix\n\s+value: \//);
    expect(yamlText).toMatch(/generation: 1/);
  });

  it("patches a backendRef weight as a release manager would shift the canary", async () => {
    await kubectl.run("patch", "httproute", "reviews", "-n", "bookinfo", "--type=json", "-p", '[{"op":"replace","path":"/spec/rules/0/backendRefs/0/weight","value":50},{"op":"replace","path":"/spec/rules/0/backendRefs/1/weight","value":50}]');
    const weights = await kubectl.run("get", "httproute", "reviews", "-n", "bookinfo", "-o", "jsonpath={.spec.rules[0].backendRefs[*].weight} {.metadata.generation}");
    expect(weights.stdout).toBe("50 50 2");
    const invalid = await kubectl.failure("patch", "httproute", "reviews", "-n", "bookinfo", "--type=merge", "-p", '{"spec":{"rules":[{"backendRefs":[{"name":"reviews-v1","port":9080,"weight":-5}]}]}}');
    expect(invalid).toContain("spec.rules[0].backendRefs[0].weight: Invalid value: -5: spec.rules[0].backendRefs[0].weight in body should be greater than or equal to 0");
  });

  it("shows the CRDs' CEL rejections with their messages", async () => {
    const relativePath = REVIEWS_90_10.replace("name: reviews\nspec:", "name: relative\nspec:").replace("  - backendRefs:", "  - matches:\n    - path:\n        type: PathPrefix\n        value: reviews\n    backendRefs:");
    const pathError = await kubectl.failure("apply", "-n", "bookinfo", "-f", await manifest("relative.yaml", relativePath));
    expect(pathError).toContain(`The HTTPRoute "relative" is invalid: spec.rules[0].matches[0].path: Invalid value: "object": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']`);

    const redirect = REVIEWS_90_10.replace("name: reviews\nspec:", "name: redirect\nspec:").replace("  - backendRefs:", "  - filters:\n    - type: RequestRedirect\n      requestRedirect:\n        scheme: https\n    backendRefs:");
    const redirectError = await kubectl.failure("apply", "-n", "bookinfo", "-f", await manifest("redirect.yaml", redirect));
    expect(redirectError).toContain('spec.rules[0]: Invalid value: "object": RequestRedirect filter must not be used together with backendRefs');

    const backendWithoutPort = REVIEWS_90_10.replace("name: reviews\nspec:", "name: noport\nspec:").replace("    - name: reviews-v2\n      port: 9080\n", "    - name: reviews-v2\n");
    expect(await kubectl.failure("apply", "-n", "bookinfo", "-f", await manifest("noport.yaml", backendWithoutPort))).toContain('spec.rules[0].backendRefs[1]: Invalid value: "object": Must have port for Service reference');
    expect((await kubectl.run("get", "httproutes", "-n", "bookinfo", "-o", "name")).stdout.trim().split("\n")).toEqual(["httproute.gateway.networking.k8s.io/bookinfo", "httproute.gateway.networking.k8s.io/reviews"]);
  });

  it("writes status through the status subresource only", async () => {
    const status = { parents: [{ parentRef: { group: "", kind: "Service", name: "reviews", port: 9080 }, controllerName: "istio.io/gateway-controller", conditions: [{ type: "Accepted", status: "True", reason: "Accepted", message: "Route was valid", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 2 }] }] };
    await kubectl.run("patch", "httproute", "reviews", "-n", "bookinfo", "--subresource=status", "--type=merge", "-p", JSON.stringify({ status }));
    const accepted = await kubectl.run("get", "httproute", "reviews", "-n", "bookinfo", "-o", 'jsonpath={.status.parents[0].conditions[?(@.type=="Accepted")].reason} {.metadata.generation}');
    expect(accepted.stdout).toBe("Accepted 2");
    // A status that breaks the CRD's schema is refused there too.
    const badStatus = await kubectl.failure("patch", "httproute", "reviews", "-n", "bookinfo", "--subresource=status", "--type=merge", "-p", '{"status":{"parents":[{"parentRef":{"name":"reviews"},"controllerName":"istio.io/gateway-controller","conditions":[{"type":"Accepted","status":"Maybe","reason":"Accepted","message":"","lastTransitionTime":"2026-01-01T00:00:00Z"}]}]}}');
    expect(badStatus).toContain('status.parents[0].conditions[0].status: Unsupported value: "Maybe": supported values: "True", "False", "Unknown"');
  });

  it("lists and patches the routes through @kubernetes/client-node", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(api.kubeconfigPath ?? "");
    const custom = kc.makeApiClient(CustomObjectsApi);
    const coordinates = { group: "gateway.networking.k8s.io", version: "v1", namespace: "bookinfo", plural: "httproutes" };
    const list = (await custom.listNamespacedCustomObject(coordinates)) as { items: { metadata: { name: string } }[] };
    expect(list.items.map((r) => r.metadata.name)).toEqual(["bookinfo", "reviews"]);
    const patched = (await custom.patchNamespacedCustomObject(
      { ...coordinates, name: "reviews", body: { spec: { rules: [{ backendRefs: [{ name: "reviews-v1", port: 9080, weight: 0 }, { name: "reviews-v3", port: 9080, weight: 100 }] }] } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    )) as { spec: { rules: { backendRefs: { name: string; weight: number; kind: string }[] }[] } };
    expect(patched.spec.rules[0]?.backendRefs.map((b) => `${b.kind}/${b.name}=${b.weight}`)).toEqual(["Service/reviews-v1=0", "Service/reviews-v3=100"]);
    await expect(
      custom.patchNamespacedCustomObject(
        { ...coordinates, name: "reviews", body: { spec: { rules: [{ matches: [{ path: { type: "Exact", value: "/a//b" } }], backendRefs: [{ name: "reviews-v1", port: 9080 }] }] } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
    ).rejects.toMatchObject({ code: 422, body: expect.stringContaining("must not contain '//' when type one of ['Exact', 'PathPrefix']") });
  });

  it("stops serving a kind whose CRD is deleted", async () => {
    await kubectl.run("delete", "crd", "tcproutes.gateway.networking.k8s.io");
    expect(await kubectl.failure("get", "tcproutes.gateway.networking.k8s.io", "-A")).toContain('the server doesn\'t have a resource type "tcproutes"');
  });
});
