/**
 * `kubectl logs` against the emulator: tail, follow (-f) and container choice (-c), and the
 * refusals a person sees on a real cluster.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "./index";
import { kubectlFor, kubectlFound, type Kubectl } from "./testing-kubectl";

if (!kubectlFound) console.warn("kubectl-logs.test.ts skipped: kubectl is not on PATH");

const MANIFESTS = path.resolve(import.meta.dirname, "../manifests");
let api: KubeApi;
let dir: string;
let cli: Kubectl;
let detailsPod: string;

/** A pod with two containers and no default-container annotation, as a user might apply one. */
const TWO_CONTAINER_POD = `apiVersion: v1
kind: Pod
metadata:
  name: two-containers
  namespace: bookinfo
spec:
  containers:
  - name: app
    image: docker.io/library/busybox:1.36
  - name: helper
    image: docker.io/library/busybox:1.36
`;

beforeAll(async () => {
  if (!kubectlFound) return;
  dir = await mkdtemp(path.join(tmpdir(), "kube-api-kubectl-logs-"));
  api = await startKubeApi({ seed: [path.join(MANIFESTS, "00-namespaces.yaml"), path.join(MANIFESTS, "20-bookinfo.yaml")], kubeconfigPath: path.join(dir, "kubeconfig") });
  cli = kubectlFor(api.kubeconfigPath ?? "", path.join(dir, "cache"));
  detailsPod = (await cli.run("get", "pods", "-n", "bookinfo", "-l", "app=details", "-o", "jsonpath={.items[0].metadata.name}")).stdout;
  const time = Date.now() - 60_000;
  api.appendPodLog([
    ...Array.from({ length: 8 }, (_, i) => ({ namespace: "bookinfo", pod: detailsPod, container: "istio-proxy", time: new Date(time + i).toISOString(), line: `proxy line ${i}` })),
    { namespace: "bookinfo", pod: detailsPod, container: "details", time: new Date(time).toISOString(), line: "GET /details/0 200 3ms" },
  ]);
});

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!kubectlFound)("kubectl logs against the emulator", () => {
  it("prints the last lines of a named container with --tail", async () => {
    const { stdout } = await cli.run("logs", detailsPod, "-n", "bookinfo", "-c", "istio-proxy", "--tail=5");
    expect(stdout).toBe(["proxy line 3", "proxy line 4", "proxy line 5", "proxy line 6", "proxy line 7", ""].join("\n"));
    const stamped = await cli.run("logs", detailsPod, "-n", "bookinfo", "-c", "istio-proxy", "--tail=1", "--timestamps");
    expect(stamped.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z proxy line 7\n$/);
  });

  it("follows with -f and prints a line appended after it started", async () => {
    const follow = spawn("kubectl", cli.args(["logs", detailsPod, "-n", "bookinfo", "-c", "istio-proxy", "--tail=1", "-f"]));
    let output = "";
    const waiters: Array<() => void> = [];
    follow.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      for (const waiter of [...waiters]) waiter();
    });
    const saw = (wanted: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`kubectl logs -f did not print "${wanted}"; printed:\n${output}`)), 15_000);
        const check = () => {
          if (!output.includes(wanted)) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
        check();
      });
    try {
      await saw("proxy line 7\n");
      api.appendPodLog([{ namespace: "bookinfo", pod: detailsPod, container: "istio-proxy", time: new Date().toISOString(), line: "appended while following" }]);
      await saw("appended while following\n");
    } finally {
      follow.kill("SIGTERM");
    }
    expect(output).toBe("proxy line 7\nappended while following\n");
  });

  it("uses the injected default container without -c, and refuses a wrong -c with the server's message", async () => {
    expect((await cli.run("logs", detailsPod, "-n", "bookinfo")).stdout).toBe("GET /details/0 200 3ms\n");
    expect(await cli.failure("logs", detailsPod, "-n", "bookinfo", "-c", "envoy")).toContain(`container envoy is not valid for pod ${detailsPod}`);
    expect(await cli.failure("logs", "missing-pod", "-n", "bookinfo")).toContain('pods "missing-pod" not found');
  });

  it("on a two-container pod without a default, kubectl picks the first and the server asks for a name", async () => {
    const file = path.join(dir, "pod.yaml");
    await writeFile(file, TWO_CONTAINER_POD);
    await cli.run("apply", "-f", file);
    api.appendPodLog([{ namespace: "bookinfo", pod: "two-containers", container: "app", time: new Date().toISOString(), line: "app started" }]);
    // kubectl (since 1.22) defaults to the first container itself and says so on stderr.
    const defaulted = await cli.run("logs", "two-containers", "-n", "bookinfo");
    expect([defaulted.stdout, defaulted.stderr]).toEqual(["app started\n", 'Defaulted container "app" out of: app, helper\n']);
    // Clients that do not pick one meet kube-apiserver's refusal.
    const message = "a container name must be specified for pod two-containers, choose one of: [app helper]";
    expect(await cli.failure("get", "--raw", "/api/v1/namespaces/bookinfo/pods/two-containers/log")).toContain(message);
  });
});
