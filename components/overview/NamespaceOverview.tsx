"use client";

import Link from "next/link";
import { Empty, ErrorBanner, Loading } from "@/components/common/states";
import { useNamespaces } from "@/components/layout/NamespaceSelector";
import { useViewState } from "@/components/layout/ViewStateContext";
import { useServices, useWorkloads } from "@/components/lists/useMeshLists";
import type { SidecarInjection } from "@/lib/mesh";

function injectionText(injection: SidecarInjection): string {
  if (injection.mode === "enabled") return "Sidecar injection enabled";
  if (injection.mode === "revision") return `Sidecar injection by revision ${injection.revision}`;
  return "No sidecar injection";
}

function countBy<T extends { namespace: string }>(items: T[] | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items ?? []) counts.set(item.namespace, (counts.get(item.namespace) ?? 0) + 1);
  return counts;
}

export function NamespaceOverview() {
  const { state } = useViewState();
  const namespaces = useNamespaces();
  const services = useServices();
  const workloads = useWorkloads();

  if (namespaces.isPending) return <Loading what="namespaces" />;
  if (namespaces.isError) return <ErrorBanner title="Namespaces could not be listed" error={namespaces.error} onRetry={() => namespaces.refetch()} />;

  const shown = namespaces.data.namespaces.filter((namespace) => state.namespaces.length === 0 || state.namespaces.includes(namespace.name));
  if (shown.length === 0) return <Empty title="No namespaces to show">The selected namespaces do not exist, or the console may not list them.</Empty>;

  const serviceCounts = countBy(services.data?.services);
  const workloadCounts = countBy(workloads.data?.workloads);
  return (
    <section className="cards" aria-label="Namespaces">
      {shown.map((namespace) => (
        <article key={namespace.name} className="card" data-testid={`namespace-card-${namespace.name}`}>
          <h2>
            <Link href={`/services?namespaces=${namespace.name}`}>{namespace.name}</Link>
          </h2>
          <p className="muted">{injectionText(namespace.injection)}</p>
          <p>
            {services.isPending ? "…" : (serviceCounts.get(namespace.name) ?? 0)} services · {workloads.isPending ? "…" : (workloadCounts.get(namespace.name) ?? 0)} workloads
          </p>
        </article>
      ))}
    </section>
  );
}
