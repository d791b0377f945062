/**
 * The kustomize packaging as users install it: every overlay rendered by the real `kubectl
 * kustomize`, then applied with `kubectl apply -k` to the demo's Kubernetes API emulator, where
 * `mesh-console dashboard`'s search finds the console whichever overlay installed it. Skipped, with
 * the reason, where kubectl is not installed.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { kubectlFor, kubectlFound, type Kubectl } from "@/demo/kube-api/testing-kubectl";
import { chooseConsoleService, CONSOLE_LABEL, findConsoleServices } from "@/server/cli/dashboard";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";

const run = promisify(execFile);
const DEPLOY = import.meta.dirname;
const OVERLAYS = ["token", "openid", "header", "view-only"] as const;

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

interface Container {
  env: { name: string; value: string }[];
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  resources?: { limits?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string }[];
}

async function render(dir: string): Promise<Manifest[]> {
  const { stdout } = await run("kubectl", ["kustomize", dir], { timeout: 30_000 });
  return parseAllDocuments(stdout).map((document) => document.toJSON() as Manifest);
}

const containerOf = (manifests: Manifest[]) => (manifests.find((m) => m.kind === "Deployment")?.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0] as Container;
const envOf = (manifests: Manifest[]) => Object.fromEntries(containerOf(manifests).env.map((variable) => [variable.name, variable.value]));

/** An overlay of the user's own, beside the repository, built on ours (kustomize wants relative paths). */
async function userOverlay(dir: string, lines: string[]): Promise<string> {
  await writeFile(path.join(dir, "kustomization.yaml"), ["apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", ...lines.map((line) => line.replaceAll("DEPLOY", path.relative(dir, DEPLOY)))].join("\n"));
  return dir;
}

describe.skipIf(!kubectlFound)("kustomize overlays (kubectl kustomize)", () => {
  const rendered = new Map<string, Manifest[]>();

  beforeAll(async () => {
    for (const overlay of OVERLAYS) rendered.set(overlay, await render(path.join(DEPLOY, "overlays", overlay)));
  });

  it.each(OVERLAYS)("%s: holds the console's ServiceAccount, RBAC, Deployment, Service, PodDisruptionBudget and NetworkPolicy in istio-system", (overlay) => {
    const manifests = rendered.get(overlay) ?? [];
    const kinds = new Set(manifests.map((m) => m.kind));
    for (const kind of ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy"]) expect(kinds, kind).toContain(kind);
    for (const manifest of manifests.filter((m) => !m.kind.startsWith("Cluster"))) expect(manifest.metadata.namespace, `${manifest.kind} ${manifest.metadata.name}`).toBe("istio-system");
    const service = manifests.find((m) => m.kind === "Service");
    expect(service?.metadata.labels?.[CONSOLE_LABEL.key]).toBe(CONSOLE_LABEL.value);
    const container = containerOf(manifests);
    expect(container.readinessProbe).toBeDefined();
    expect(container.livenessProbe).toBeDefined();
    expect(container.resources?.limits).toMatchObject({ memory: "512Mi", cpu: "1" });
  });

  it("sets each overlay's sign-in, and view-only on top of token sign-in", () => {
    expect(envOf(rendered.get("token") ?? [])).toMatchObject({ MESH_CONSOLE_AUTH: "token" });
    expect(envOf(rendered.get("openid") ?? [])).toMatchObject({ MESH_CONSOLE_AUTH: "openid", MESH_CONSOLE_OIDC_CLIENT_SECRET_FILE: "/etc/mesh-console/oidc/client-secret" });
    expect(envOf(rendered.get("header") ?? [])).toMatchObject({ MESH_CONSOLE_AUTH: "header", MESH_CONSOLE_AUTH_PROXIES: "10.0.0.0/8" });
    expect(envOf(rendered.get("view-only") ?? [])).toMatchObject({ MESH_CONSOLE_AUTH: "token", MESH_CONSOLE_VIEW_ONLY: "true" });
    expect(envOf(rendered.get("token") ?? []).MESH_CONSOLE_VIEW_ONLY).toBeUndefined();
  });

  it("shares the session keys' Secret between replicas where sessions are cookies, not behind a proxy", () => {
    for (const overlay of ["token", "openid", "view-only"]) {
      expect(envOf(rendered.get(overlay) ?? []).MESH_CONSOLE_SESSION_KEYS_DIR, overlay).toBe("/etc/mesh-console/session-keys");
    }
    expect(envOf(rendered.get("header") ?? []).MESH_CONSOLE_SESSION_KEYS_DIR).toBeUndefined();
  });

  it("lets the console's ServiceAccount impersonate users and groups only in the header overlay", () => {
    const impersonators = (manifests: Manifest[]) =>
      manifests.filter((m) => m.kind === "ClusterRole" && (m.rules ?? []).some((rule) => rule.verbs.includes("impersonate"))).map((role) => ({ role, binding: manifests.find((m) => m.kind === "ClusterRoleBinding" && m.roleRef?.name === role.metadata.name) }));
    const header = impersonators(rendered.get("header") ?? []);
    expect(header).toHaveLength(1);
    expect(header[0]?.role.rules).toEqual([{ apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] }]);
    expect(header[0]?.binding?.subjects).toEqual([{ kind: "ServiceAccount", name: "mesh-console", namespace: "istio-system" }]);
    for (const overlay of ["token", "openid", "view-only"]) expect(impersonators(rendered.get(overlay) ?? []), overlay).toEqual([]);
  });

  it("lets only the authenticating proxy's pods reach the console in the header overlay", () => {
    const policy = (rendered.get("header") ?? []).find((m) => m.kind === "NetworkPolicy")?.spec as { ingress: { from?: unknown[] }[] };
    expect(policy.ingress).toHaveLength(1);
    expect(policy.ingress[0]?.from).toHaveLength(1);
    const open = (rendered.get("token") ?? []).find((m) => m.kind === "NetworkPolicy")?.spec as { ingress: { from?: unknown[] }[] };
    expect(open.ingress[0]?.from).toBeUndefined();
  });

  it("lets the console's own identity write only its sign-out record, and read no Secrets, in any overlay", () => {
    for (const [overlay, manifests] of rendered) {
      for (const role of manifests.filter((m) => m.kind === "ClusterRole" || m.kind === "Role")) {
        for (const rule of role.rules ?? []) {
          expect(rule.resources.some((resource) => resource === "secrets" || resource === "*"), `${overlay} ${role.metadata.name}`).toBe(false);
          const writes = rule.verbs.filter((verb) => !["get", "list", "watch", "impersonate"].includes(verb));
          if (writes.length === 0) continue;
          // Creating the record cannot be narrowed to its name; changing it is.
          expect({ overlay, role: role.metadata.name, kind: role.kind, rule }).toMatchObject({ role: "mesh-console-sessions", kind: "Role", rule: { resources: ["configmaps"] } });
          if (writes.includes("update")) expect((rule as { resourceNames?: string[] }).resourceNames).toEqual(["mesh-console-sessions"]);
        }
      }
    }
    expect((rendered.get("header") ?? []).some((m) => m.metadata.name === "mesh-console-sessions")).toBe(false);
    expect((rendered.get("token") ?? []).find((m) => m.kind === "RoleBinding" && m.metadata.name === "mesh-console-sessions")?.subjects).toEqual([{ kind: "ServiceAccount", name: "mesh-console", namespace: "istio-system" }]);
  });

  it("grants the rollout driver its writes only through the rollouts component", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-kustomize-"));
    try {
      const manifests = await render(await userOverlay(dir, ["resources: [DEPLOY/overlays/token]", "components: [DEPLOY/components/rollouts]"]));
      const role = manifests.find((m) => m.kind === "ClusterRole" && m.metadata.name === "mesh-console-rollouts");
      const verbsOn = (resource: string) => (role?.rules ?? []).filter((rule) => rule.resources.includes(resource)).flatMap((rule) => rule.verbs);
      expect(verbsOn("leases")).toEqual(["get", "create", "update"]);
      expect(verbsOn("httproutes")).toContain("update");
      expect(verbsOn("virtualservices")).toContain("update");
      expect((role?.rules ?? []).some((rule) => rule.resources.includes("secrets"))).toBe(false);
      expect(manifests.find((m) => m.kind === "ClusterRoleBinding" && m.roleRef?.name === "mesh-console-rollouts")?.subjects).toEqual([{ kind: "ServiceAccount", name: "mesh-console", namespace: "istio-system" }]);
      expect((rendered.get("token") ?? []).some((m) => m.metadata.name === "mesh-console-rollouts")).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("adds an autoscaler that owns the replica count, an Ingress and an HTTPRoute as components", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-kustomize-"));
    try {
      const manifests = await render(await userOverlay(dir, ["resources: [DEPLOY/overlays/header]", "components: [DEPLOY/components/hpa, DEPLOY/components/ingress, DEPLOY/components/httproute]"]));
      const hpa = manifests.find((m) => m.kind === "HorizontalPodAutoscaler");
      expect(hpa?.apiVersion).toBe("autoscaling/v2");
      expect(hpa?.spec?.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "mesh-console" });
      expect(manifests.find((m) => m.kind === "Deployment")?.spec?.replicas).toBeUndefined();
      expect(manifests.find((m) => m.kind === "Ingress")?.apiVersion).toBe("networking.k8s.io/v1");
      expect(manifests.find((m) => m.kind === "HTTPRoute")?.apiVersion).toBe("gateway.networking.k8s.io/v1");
      expect(envOf(manifests).MESH_CONSOLE_ALLOWED_HOSTS?.split(",")).toContain("mesh.example.com");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!kubectlFound)("kubectl apply -k to the emulator, and finding the console", () => {
  let api: KubeApi;
  let dir: string;
  let kubectl: Kubectl;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-apply-k-"));
    api = await startKubeApi({ seed: [path.join(DEMO_MANIFESTS, "00-namespaces.yaml")], kubeconfigPath: path.join(dir, "kubeconfig") });
    kubectl = kubectlFor(api.kubeconfigPath ?? "", path.join(dir, "cache"));
  });

  afterAll(async () => {
    await api?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const consoles = async (namespace?: string) => findConsoleServices(clientsFor(api.url, api.tokens.admin), namespace);

  it.each(OVERLAYS)("applies the %s overlay, and the dashboard finds its Service", async (overlay) => {
    const { stdout } = await kubectl.run("apply", "-k", path.join(DEPLOY, "overlays", overlay));
    expect(stdout).toMatch(/deployment\.apps\/mesh-console (created|configured|unchanged)/);
    expect(stdout).toMatch(/poddisruptionbudget\.policy\/mesh-console (created|configured|unchanged)/);
    expect(stdout).toMatch(/networkpolicy\.networking\.k8s\.io\/mesh-console (created|configured|unchanged)/);
    const env = JSON.parse((await kubectl.run("get", "deployment", "mesh-console", "-n", "istio-system", "-o", "json")).stdout) as { spec: { template: { spec: { containers: Container[] } } } };
    const auth = env.spec.template.spec.containers[0]?.env.find((variable) => variable.name === "MESH_CONSOLE_AUTH")?.value;
    expect(auth).toBe(overlay === "view-only" ? "token" : overlay);
    expect(chooseConsoleService(await consoles(), {})).toEqual({ found: { namespace: "istio-system", name: "mesh-console" } });
  });

  it("applies the components (autoscaler, Ingress, HTTPRoute) too", async () => {
    const overlay = await userOverlay(await mkdtemp(path.join(dir, "components-")), ["resources: [DEPLOY/overlays/token]", "components: [DEPLOY/components/hpa, DEPLOY/components/ingress, DEPLOY/components/httproute]"]);
    const { stdout } = await kubectl.run("apply", "-k", overlay);
    expect(stdout).toContain("horizontalpodautoscaler.autoscaling/mesh-console created");
    expect(stdout).toContain("ingress.networking.k8s.io/mesh-console created");
    expect(stdout).toContain("httproute.gateway.networking.k8s.io/mesh-console created");
  });

  it("finds a renamed console in another namespace by its label, and asks which when there are two", async () => {
    const namespaceFile = path.join(dir, "team-a.yaml");
    await writeFile(namespaceFile, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n");
    await kubectl.run("apply", "-f", namespaceFile);
    const overlay = await userOverlay(await mkdtemp(path.join(dir, "team-a-")), ["namespace: team-a", "namePrefix: team-a-", "resources: [DEPLOY/overlays/header]"]);
    await kubectl.run("apply", "-k", overlay);
    expect(chooseConsoleService(await consoles("team-a"), { namespace: "team-a" })).toEqual({ found: { namespace: "team-a", name: "team-a-mesh-console" } });
    const both = chooseConsoleService(await consoles(), {});
    expect(both).toEqual({ problem: expect.stringContaining("2 consoles (Services labelled app.kubernetes.io/name=mesh-console) in any namespace you may list Services in: istio-system/mesh-console, team-a/team-a-mesh-console; choose one with --namespace") });
  });

  it("says none is installed when the label is nowhere", async () => {
    await kubectl.run("delete", "-k", path.join(DEPLOY, "overlays", "token"));
    await kubectl.run("delete", "-f", path.join(dir, "team-a.yaml"));
    expect(chooseConsoleService(await consoles(), {})).toMatchObject({ problem: expect.stringMatching(/^No console Service/) });
  });
});
