import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const documents = parseAllDocuments(readFileSync(path.join(import.meta.dirname, "mesh-console.yaml"), "utf8")).map((document) => document.toJSON());
const byKind = (kind: string) => documents.filter((document) => document.kind === kind);
const WRITE_VERBS = ["create", "update", "patch", "delete", "deletecollection"];

describe("in-cluster manifests", () => {
  const rules = (byKind("ClusterRole")[0]?.rules ?? []) as PolicyRule[];

  it("lets the console write only VirtualServices, DestinationRules, PeerAuthentications and AuthorizationPolicies", () => {
    const writable = rules.filter((rule) => rule.verbs.some((verb) => WRITE_VERBS.includes(verb))).flatMap((rule) => rule.resources.map((resource) => `${resource}.${rule.apiGroups.join()}`));
    expect(writable.sort()).toEqual(["authorizationpolicies.security.istio.io", "destinationrules.networking.istio.io", "peerauthentications.security.istio.io", "virtualservices.networking.istio.io"]);
  });

  it("never lets the console read Secrets", () => {
    const everyRule = [...rules, ...((byKind("Role")[0]?.rules ?? []) as PolicyRule[])];
    expect(everyRule.some((rule) => rule.resources.includes("secrets") || rule.resources.includes("*"))).toBe(false);
  });

  it("reads ConfigMaps, and istiod's debug port through pods/proxy, only in istio-system", () => {
    expect(rules.some((rule) => rule.resources.includes("configmaps"))).toBe(false);
    const role = byKind("Role")[0];
    expect(role.metadata.namespace).toBe("istio-system");
    expect(role.rules).toEqual([
      { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["pods/proxy"], verbs: ["get"] },
    ]);
    const binding = byKind("RoleBinding")[0];
    expect(binding.metadata.namespace).toBe("istio-system");
    expect(binding.roleRef).toMatchObject({ kind: "Role", name: role.metadata.name });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "mesh-console", namespace: "istio-system" }]);
  });

  it("answers to its Service's names, so a rebound name is refused but in-cluster callers are not", () => {
    const env = byKind("Deployment")[0].spec.template.spec.containers[0].env as { name: string; value: string }[];
    expect(env.find((variable) => variable.name === "MESH_CONSOLE_ALLOWED_HOSTS")?.value.split(",")).toContain("mesh-console.istio-system.svc");
  });

  it("can read everything the console shows", () => {
    const readable = new Set(rules.filter((rule) => ["get", "list", "watch"].every((verb) => rule.verbs.includes(verb))).flatMap((rule) => rule.resources));
    for (const resource of ["namespaces", "services", "endpoints", "pods", "deployments", "replicasets", "virtualservices", "destinationrules", "gateways", "serviceentries", "sidecars", "peerauthentications", "authorizationpolicies", "requestauthentications"]) {
      expect(readable, resource).toContain(resource);
    }
  });

  it("makes people sign in with their own token, since it listens on the pod's address", () => {
    const env = byKind("Deployment")[0].spec.template.spec.containers[0].env as { name: string; value: string }[];
    expect(env.find((variable) => variable.name === "MESH_CONSOLE_AUTH")?.value).toBe("token");
    expect(env.some((variable) => variable.name === "MESH_CONSOLE_ALLOW_ANONYMOUS_ON_ANY_ADDRESS")).toBe(false);
  });

  it("runs as the non-root user of the image, in istio-system, with the Service on 20001", () => {
    const deployment = byKind("Deployment")[0];
    expect(deployment.metadata.namespace).toBe("istio-system");
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(deployment.spec.template.spec.serviceAccountName).toBe(byKind("ServiceAccount")[0].metadata.name);
    expect(byKind("Service")[0].spec.ports[0].port).toBe(20001);
  });
});
