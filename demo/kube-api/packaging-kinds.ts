/**
 * Built-in kinds the console's own manifests (deploy/) hold, served so `kubectl apply -k` of any
 * overlay works against the emulator as against a cluster: RBAC, PodDisruptionBudget,
 * NetworkPolicy, HorizontalPodAutoscaler and Ingress. They are stored and listed like any object;
 * nothing acts on them (no autoscaling, no network rules, and RBAC stays the emulator's own model
 * in auth.ts). Names, versions, short names and categories follow Kubernetes' discovery.
 */
import type { ResourceType } from "./resources";

function builtin(group: string, versions: readonly string[], kind: string, plural: string, options: { namespaced?: boolean; shortNames?: string[]; categories?: string[]; status?: boolean; generation?: boolean } = {}): ResourceType {
  return {
    group,
    versions,
    storageVersion: versions[0] ?? "v1",
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: options.namespaced ?? true,
    shortNames: options.shortNames ?? [],
    categories: options.categories ?? [],
    custom: false,
    tracksGeneration: options.generation ?? false,
    statusSubresource: options.status ?? false,
  };
}

const RBAC = "rbac.authorization.k8s.io";

export const PACKAGING_TYPES: readonly ResourceType[] = [
  builtin(RBAC, ["v1"], "ClusterRole", "clusterroles", { namespaced: false }),
  builtin(RBAC, ["v1"], "ClusterRoleBinding", "clusterrolebindings", { namespaced: false }),
  builtin(RBAC, ["v1"], "Role", "roles"),
  builtin(RBAC, ["v1"], "RoleBinding", "rolebindings"),
  builtin("policy", ["v1"], "PodDisruptionBudget", "poddisruptionbudgets", { shortNames: ["pdb"], status: true, generation: true }),
  builtin("networking.k8s.io", ["v1"], "NetworkPolicy", "networkpolicies", { shortNames: ["netpol"], generation: true }),
  builtin("networking.k8s.io", ["v1"], "Ingress", "ingresses", { shortNames: ["ing"], status: true, generation: true }),
  builtin("autoscaling", ["v2", "v1"], "HorizontalPodAutoscaler", "horizontalpodautoscalers", { shortNames: ["hpa"], categories: ["all"], status: true }),
];
