/**
 * The base every overlay shares (deploy/base), read as files, so these hold without kubectl; the
 * rendered overlays are checked in kustomize.test.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const BASE = path.join(import.meta.dirname, "base");
const kustomization = parseYaml(readFileSync(path.join(BASE, "kustomization.yaml"), "utf8")) as { namespace: string; resources: string[] };
const documents = kustomization.resources.flatMap((file) => parseAllDocuments(readFileSync(path.join(BASE, file), "utf8")).map((document) => document.toJSON()));
const byKind = (kind: string) => documents.filter((document) => document.kind === kind);
const READ_VERBS = ["get", "list", "watch"];

describe("the base of the in-cluster manifests", () => {
  const rules = (byKind("ClusterRole")[0]?.rules ?? []) as PolicyRule[];

  it("installs in istio-system, next to istiod", () => {
    expect(kustomization.namespace).toBe("istio-system");
  });

  it("lets the console's own identity change nothing: changes are made with each person's identity", () => {
    const everyRule = [...rules, ...((byKind("Role")[0]?.rules ?? []) as PolicyRule[])];
    for (const rule of everyRule) expect(rule.verbs.filter((verb) => !READ_VERBS.includes(verb)), rule.resources.join()).toEqual([]);
  });

  it("never lets the console read Secrets", () => {
    const everyRule = [...rules, ...((byKind("Role")[0]?.rules ?? []) as PolicyRule[])];
    expect(everyRule.some((rule) => rule.resources.includes("secrets") || rule.resources.includes("*"))).toBe(false);
  });

  it("reads ConfigMaps, and istiod's debug port through pods/proxy, only in the Role of its own namespace", () => {
    expect(rules.some((rule) => rule.resources.includes("configmaps"))).toBe(false);
    const role = byKind("Role")[0];
    expect(role.rules).toEqual([
      { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["pods/proxy"], verbs: ["get"] },
    ]);
    const binding = byKind("RoleBinding")[0];
    expect(binding.roleRef).toMatchObject({ kind: "Role", name: role.metadata.name });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "mesh-console", namespace: "istio-system" }]);
  });

  it("answers to its Service's names, so a rebound name is refused but in-cluster callers are not", () => {
    const env = byKind("Deployment")[0].spec.template.spec.containers[0].env as { name: string; value: string }[];
    expect(env.find((variable) => variable.name === "MESH_CONSOLE_ALLOWED_HOSTS")?.value.split(",")).toContain("mesh-console.istio-system.svc");
  });

  it("can read everything the console shows, the Gateway API kinds included", () => {
    const readable = new Set(rules.filter((rule) => READ_VERBS.every((verb) => rule.verbs.includes(verb))).flatMap((rule) => rule.resources.map((resource) => `${resource}.${rule.apiGroups.join()}`)));
    for (const resource of ["namespaces.", "services.", "endpoints.", "pods.", "deployments.apps", "replicasets.apps", "virtualservices.networking.istio.io", "destinationrules.networking.istio.io", "gateways.networking.istio.io", "serviceentries.networking.istio.io", "sidecars.networking.istio.io", "peerauthentications.security.istio.io", "authorizationpolicies.security.istio.io", "requestauthentications.security.istio.io", "gateways.gateway.networking.k8s.io", "httproutes.gateway.networking.k8s.io"]) {
      expect(readable, resource).toContain(resource);
    }
  });

  it("never runs in anonymous mode, since it listens on the pod's address", () => {
    const env = byKind("Deployment")[0].spec.template.spec.containers[0].env as { name: string; value: string }[];
    expect(env.find((variable) => variable.name === "MESH_CONSOLE_AUTH")?.value).not.toBe("anonymous");
    expect(env.some((variable) => variable.name === "MESH_CONSOLE_ALLOW_ANONYMOUS_ON_ANY_ADDRESS")).toBe(false);
  });

  it("runs as the non-root user of the image with the Service on 20001, and a drain takes one replica at a time", () => {
    const deployment = byKind("Deployment")[0];
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(deployment.spec.template.spec.serviceAccountName).toBe(byKind("ServiceAccount")[0].metadata.name);
    expect(byKind("Service")[0].spec.ports[0].port).toBe(20001);
    expect(byKind("PodDisruptionBudget")[0].spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: deployment.spec.selector.matchLabels } });
  });
});
