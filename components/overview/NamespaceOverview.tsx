"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { HealthBadge } from "@/components/common/HealthBadge";
import { Empty, ErrorBanner, Loading } from "@/components/common/states";
import { Sparkline } from "@/components/charts/Sparkline";
import { useNamespaces } from "@/components/layout/NamespaceSelector";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";
import { useApps, useServices, useTraffic, useWorkloads } from "@/components/lists/useMeshLists";
import { SeverityCounts } from "@/components/validation/ValidationBadge";
import { useValidations } from "@/components/validation/useValidations";
import { namespaceTrafficSchema } from "@/lib/api/overview";
import { fetchJson } from "@/lib/apiClient";
import type { Health } from "@/lib/health";
import { DATAPLANE_MODE_LABEL, USE_WAYPOINT_LABEL } from "@/lib/istio/ambient";
import { podsWithoutSidecar, type SidecarInjection } from "@/lib/mesh";
import { worstHealth } from "@/lib/signals/rollup";
import { queryKeys } from "@/lib/queryKeys";
import { AmbientCard } from "./AmbientCard";
import { ControlPlaneCard } from "./ControlPlaneCard";
import { StaleProxiesNote } from "@/components/proxyStatus/StaleProxiesNote";
import { useProxyStatus } from "@/components/proxyStatus/useProxyStatus";
import { outOfSyncByNamespace } from "@/lib/api/proxyStatus";

function injectionText(injection: SidecarInjection, labels: Readonly<Record<string, string>>): string {
  if (labels[DATAPLANE_MODE_LABEL] === "ambient") {
    const waypoint = labels[USE_WAYPOINT_LABEL];
    return `Ambient data plane (ztunnel)${waypoint && waypoint !== "none" ? `, waypoint ${waypoint}` : ""}`;
  }
  if (injection.mode === "enabled") return "Sidecar injection enabled";
  if (injection.mode === "revision") return `Sidecar injection by revision ${injection.revision}`;
  return "No sidecar injection";
}

function countBy<T extends { namespace: string }>(items: T[] | undefined, weight: (item: T) => number = () => 1): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items ?? []) counts.set(item.namespace, (counts.get(item.namespace) ?? 0) + weight(item));
  return counts;
}

function useNamespaceTraffic() {
  const { state } = useViewState();
  return useQuery({
    queryKey: queryKeys.namespaceTraffic(state.namespaces, state.window),
    queryFn: () => {
      const params = new URLSearchParams({ window: state.window });
      if (state.namespaces.length) params.set("namespaces", state.namespaces.join(","));
      return fetchJson(`/api/namespace-traffic?${params}`, namespaceTrafficSchema);
    },
    refetchInterval: useRefreshInterval(),
  });
}

export function NamespaceOverview() {
  const { state } = useViewState();
  const namespaces = useNamespaces();
  const services = useServices();
  const workloads = useWorkloads();
  const apps = useApps();
  const { query: appTraffic } = useTraffic("app");
  // Services count requests that never reached a workload (no route, aborted), which apps cannot.
  const { query: serviceTraffic } = useTraffic("service");
  const traffic = useNamespaceTraffic();
  const validations = useValidations();
  const proxyStatus = useProxyStatus(state.namespaces);

  if (namespaces.isPending) return <Loading what="namespaces" />;
  if (namespaces.isError) return <ErrorBanner title="Namespaces could not be listed" error={namespaces.error} onRetry={() => namespaces.refetch()} />;

  const shown = namespaces.data.namespaces.filter((namespace) => state.namespaces.length === 0 || state.namespaces.includes(namespace.name));
  const serviceCounts = countBy(services.data?.services);
  const workloadCounts = countBy(workloads.data?.workloads);
  const appCounts = countBy(apps.data?.apps);
  // The mesh's own workloads (istiod, gateways) run without a sidecar by design: podsWithoutSidecar leaves them out.
  const missingSidecarCounts = countBy(workloads.data?.workloads, podsWithoutSidecar);
  const healthByNamespace = new Map<string, Health[]>();
  for (const item of [...(appTraffic.data?.items ?? []), ...(serviceTraffic.data?.items ?? [])]) {
    healthByNamespace.set(item.namespace, [...(healthByNamespace.get(item.namespace) ?? []), item.health]);
  }
  const outOfSyncCounts = outOfSyncByNamespace(proxyStatus.data?.proxies ?? []);
  const sparklines = new Map((traffic.data?.series ?? []).map((line) => [line.namespace, line.points]));
  const count = (pending: boolean, counts: Map<string, number>, namespace: string) => (pending ? "…" : (counts.get(namespace) ?? 0));

  return (
    <>
      <section className="cards" aria-label="Control plane">
        <ControlPlaneCard />
        <AmbientCard />
      </section>
      <h2>Namespaces</h2>
      {appTraffic.isError ? <p className="warning">Traffic health is unavailable: {appTraffic.error.message}</p> : null}
      {shown.length === 0 ? (
        <Empty title="No namespaces to show">The selected namespaces do not exist, or the console may not list them.</Empty>
      ) : (
        <section className="cards" aria-label="Namespaces">
          {shown.map((namespace) => {
            const missingSidecars = missingSidecarCounts.get(namespace.name) ?? 0;
            return (
              <article key={namespace.name} className="card" data-testid={`namespace-card-${namespace.name}`}>
                <h2>
                  <Link href={`/apps?namespaces=${namespace.name}`}>{namespace.name}</Link>
                </h2>
                <p data-testid="namespace-health">
                  {appTraffic.data && serviceTraffic.data ? <HealthBadge health={worstHealth(healthByNamespace.get(namespace.name) ?? [])} /> : <span className="muted">health …</span>}
                </p>
                <p>
                  <Link href={`/apps?namespaces=${namespace.name}`}>{count(apps.isPending, appCounts, namespace.name)} apps</Link> ·{" "}
                  <Link href={`/workloads?namespaces=${namespace.name}`}>{count(workloads.isPending, workloadCounts, namespace.name)} workloads</Link> ·{" "}
                  <Link href={`/services?namespaces=${namespace.name}`}>{count(services.isPending, serviceCounts, namespace.name)} services</Link>
                </p>
                <p className="muted" data-testid="namespace-data-plane">{injectionText(namespace.injection, namespace.labels)}</p>
                <p data-testid="namespace-validations">
                  <Link href={`/issues?namespaces=${namespace.name}`} aria-label={`Config issues in ${namespace.name}`}>
                    <SeverityCounts counts={validations.index.countsIn(namespace.name)} loading={!validations.query.data} />
                  </Link>
                </p>
                {namespace.injection.mode !== "disabled" && missingSidecars > 0 ? (
                  <p className="warning">
                    ▲ {missingSidecars} pod{missingSidecars === 1 ? "" : "s"} without a sidecar
                  </p>
                ) : null}
                <StaleProxiesNote namespace={namespace.name} count={outOfSyncCounts.get(namespace.name) ?? 0} />
                {traffic.data ? <Sparkline points={sparklines.get(namespace.name) ?? []} label={`Inbound requests to ${namespace.name} over the window`} /> : null}
              </article>
            );
          })}
        </section>
      )}
    </>
  );
}
