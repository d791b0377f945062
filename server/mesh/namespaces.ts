/**
 * The namespaces the console can show, with their sidecar injection state. A person bound only by
 * RoleBindings may not list namespaces (that is cluster-wide), yet reads some: they get the
 * namespaces server/auth/namespaceAccess.ts finds their token may read, so the pickers still work.
 */
import { z } from "zod";
import { injectionFromLabels, type NamespaceSummary } from "@/lib/mesh";
import { allowedNamespaces } from "@/server/auth/namespaceAccess";
import { consoleKube, kube, KubeError, kubeCall } from "@/server/kube";

const namespaceObjectSchema = z.object({
  metadata: z.object({
    name: z.string(),
    labels: z.record(z.string(), z.string()).optional(),
    creationTimestamp: z.union([z.string(), z.date()]).optional(),
  }),
});

export function summarizeNamespace(raw: unknown): NamespaceSummary {
  const { metadata } = namespaceObjectSchema.parse(raw);
  const labels = metadata.labels ?? {};
  const created = metadata.creationTimestamp;
  return {
    name: metadata.name,
    labels,
    injection: injectionFromLabels(labels),
    createdAt: created instanceof Date ? created.toISOString() : (created ?? null),
  };
}

async function readNamespaces(clients: ReturnType<typeof kube>): Promise<NamespaceSummary[]> {
  const list = await kubeCall(clients, "list_namespaces", "list namespaces", () => clients.core.listNamespace());
  return list.items.map(summarizeNamespace).sort((a, b) => a.name.localeCompare(b.name));
}

export async function listNamespaces(): Promise<NamespaceSummary[]> {
  try {
    return await readNamespaces(kube());
  } catch (error) {
    if (!(error instanceof KubeError && error.failure === "forbidden")) throw error;
    const allowed = await allowedNamespaces();
    // Anonymous mode, or a person who may read every namespace's pods but not list namespaces:
    // Kubernetes' refusal stands.
    if (allowed.all || allowed.namespaces.size === 0) throw error;
    return (await readNamespaces(consoleKube())).filter((namespace) => allowed.namespaces.has(namespace.name));
  }
}
