/**
 * The real kubectl against the emulator with the kubeconfig it writes: if kubectl is happy,
 * discovery, tables, client-side apply, watches and access reviews follow the protocol.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "./index";
import { kubectlFor, kubectlFound } from "./testing-kubectl";

const run = promisify(execFile);
if (!kubectlFound) console.warn("kubectl.test.ts skipped: kubectl is not on PATH");

let api: KubeApi;
let dir: string;

function kubectlArgs(args: string[]): string[] {
  return kubectlFor(api.kubeconfigPath ?? "", path.join(dir, "cache")).args(args);
}

async function kubectl(...args: string[]): Promise<string> {
  return (await kubectlFor(api.kubeconfigPath ?? "", path.join(dir, "cache")).run(...args)).stdout;
}

async function kubectlFailure(...args: string[]): Promise<string> {
  return kubectlFor(api.kubeconfigPath ?? "", path.join(dir, "cache")).failure(...args);
}

function canaryManifest(v1: number, v2: number): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v1
      weight: ${v1}
    - destination:
        host: reviews
        subset: v2
      weight: ${v2}
`;
}

beforeAll(async () => {
  if (!kubectlFound) return;
  dir = await mkdtemp(path.join(tmpdir(), "kube-api-kubectl-"));
  api = await startKubeApi({ seed: [path.resolve(__dirname, "../manifests")], kubeconfigPath: path.join(dir, "kubeconfig") });
});

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!kubectlFound)("kubectl against the emulator", () => {
  it("lists VirtualServices in all namespaces with Istio's columns", async () => {
    const out = await kubectl("get", "vs", "-A");
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+GATEWAYS\s+HOSTS\s+AGE$/);
    expect(out).toMatch(/bookinfo\s+bookinfo\s+\["bookinfo-gateway"\]\s+\["\*"\]/);
    expect(out).toMatch(/mesh-lab\s+catalog/);
  });

  it("prints VirtualServices as YAML by their full resource name", async () => {
    const out = await kubectl("get", "virtualservices.networking.istio.io", "-n", "bookinfo", "-o", "yaml");
    expect(out).toContain("kind: VirtualService");
    expect(out).toContain("apiVersion: networking.istio.io/v1");
    expect(out).toContain("- bookinfo-gateway");
  });

  it("applies, re-applies, patches, watches and deletes a VirtualService", async () => {
    const file = path.join(dir, "reviews.yaml");
    await writeFile(file, canaryManifest(90, 10));
    expect(await kubectl("apply", "-f", file)).toContain("virtualservice.networking.istio.io/reviews created");
    await writeFile(file, canaryManifest(80, 20));
    expect(await kubectl("apply", "-f", file)).toContain("virtualservice.networking.istio.io/reviews configured");
    expect(await kubectl("get", "vs", "reviews", "-n", "bookinfo", "-o", "jsonpath={.spec.http[0].route[*].weight}")).toBe("80 20");

    await kubectl("patch", "vs", "reviews", "-n", "bookinfo", "--type=merge", "-p", '{"spec":{"hosts":["reviews","reviews.bookinfo.svc.cluster.local"]}}');
    await kubectl("patch", "vs", "reviews", "-n", "bookinfo", "--type=json", "-p", '[{"op":"replace","path":"/spec/http/0/route/1/weight","value":50},{"op":"replace","path":"/spec/http/0/route/0/weight","value":50}]');
    const patched = JSON.parse(await kubectl("get", "vs", "reviews", "-n", "bookinfo", "-o", "json")) as {
      spec: { hosts: string[]; http: { route: { weight: number }[] }[] };
      metadata: { generation: number; annotations: Record<string, string> };
    };
    expect(patched.spec.hosts).toEqual(["reviews", "reviews.bookinfo.svc.cluster.local"]);
    expect(patched.spec.http[0]?.route.map((r) => r.weight)).toEqual([50, 50]);
    expect(patched.metadata.generation).toBe(4);
    expect(patched.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).toContain('"weight":80');

    // Watch, make a change, and stop the watch once it has printed the change.
    const watch = spawn("kubectl", kubectlArgs(["get", "vs", "-n", "bookinfo", "-w", "--output-watch-events"]));
    let output = "";
    const sawChange = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kubectl get -w did not print the change; printed:\n${output}`)), 15_000);
      watch.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (/MODIFIED\s+reviews\s+\["reviews","reviews.bookinfo.svc.cluster.local","reviews.example"\]/.test(output.replace(/\s+\[/g, " ["))) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    try {
      await new Promise((r) => setTimeout(r, 1000));
      await kubectl("patch", "vs", "reviews", "-n", "bookinfo", "--type=json", "-p", '[{"op":"add","path":"/spec/hosts/-","value":"reviews.example"}]');
      await sawChange;
    } finally {
      watch.kill("SIGTERM");
    }
    expect(output).toMatch(/ADDED\s+bookinfo/);

    expect(await kubectl("delete", "vs", "reviews", "-n", "bookinfo")).toContain('virtualservice.networking.istio.io "reviews" deleted');
    expect(await kubectlFailure("get", "vs", "reviews", "-n", "bookinfo")).toContain('virtualservices.networking.istio.io "reviews" not found');
  });

  it("reports the schema violation and the viewer's lack of rights as kubectl users see them", async () => {
    const invalid = await kubectlFailure("patch", "vs", "bookinfo", "-n", "bookinfo", "--type=json", "-p", '[{"op":"add","path":"/spec/http/0/route/0/weight","value":"100"}]');
    expect(invalid).toContain("spec.http[0].route[0].weight");
    const denied = await kubectlFailure("--context", "demo-viewer", "delete", "vs", "bookinfo", "-n", "bookinfo");
    expect(denied).toContain('User "viewer" cannot delete resource "virtualservices" in API group "networking.istio.io" in the namespace "bookinfo"');
  });

  it("answers kubectl auth can-i with an access review for the context's own token", async () => {
    expect((await kubectl("auth", "can-i", "update", "virtualservices.networking.istio.io", "-n", "bookinfo")).trim()).toBe("yes");
    // "no" is printed on stdout with exit status 1.
    const viewer = await run("kubectl", kubectlArgs(["--context", "demo-viewer", "auth", "can-i", "update", "virtualservices.networking.istio.io", "-n", "bookinfo"]), { timeout: 20_000 }).then(
      () => ({ stdout: "(exit status 0)" }),
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
    );
    expect(viewer.stdout.trim()).toBe("no");
    expect((await kubectl("--context", "demo-viewer", "auth", "can-i", "list", "pods", "--all-namespaces")).trim()).toBe("yes");
  });

  it("answers kubectl auth whoami with the context's own user", async () => {
    const whoami = await kubectl("--context", "demo-viewer", "auth", "whoami", "-o", "json");
    const review = JSON.parse(whoami) as { kind: string; status: { userInfo: { username: string; groups: string[] } } };
    expect(review.kind).toBe("SelfSubjectReview");
    expect(review.status.userInfo.username).toBe("viewer");
    expect(review.status.userInfo.groups).toContain("system:authenticated");
  });
});
