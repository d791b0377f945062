/**
 * The namespaces the console can show, with their sidecar injection state.
 */
import { z } from "zod";
import { injectionFromLabels, type NamespaceSummary } from "@/lib/mesh";
import { kube, kubeCall } from "@/server/kube";

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

export async function listNamespaces(): Promise<NamespaceSummary[]> {
  const clients = kube();
  const list = await kubeCall(clients, "list_namespaces", "list namespaces", () => clients.core.listNamespace());
  return list.items.map(summarizeNamespace).sort((a, b) => a.name.localeCompare(b.name));
}
