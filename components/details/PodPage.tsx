"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { ErrorBanner, Loading } from "@/components/common/states";
import { Labels } from "@/components/lists/Labels";
import { LogsSection } from "@/components/logs/LogsSection";
import { fetchJson } from "@/lib/apiClient";
import { podDetailsSchema } from "@/lib/api/logs";
import { queryKeys } from "@/lib/queryKeys";

/** One pod: its state, its containers, and their logs. */
export function PodPage({ namespace, name }: { namespace: string; name: string }) {
  const details = useQuery({
    queryKey: queryKeys.podDetails(namespace, name),
    queryFn: () => fetchJson(`/api/pods/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`, podDetailsSchema),
    staleTime: 30_000,
  });
  const pod = details.data?.pod;

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href={`/workloads?namespaces=${namespace}`}>Workloads</Link> / {namespace}
        {pod ? (
          <>
            {" / "}
            <Link href={`/workloads/${namespace}/${pod.workload}`}>{pod.workload}</Link>
          </>
        ) : null}
      </nav>
      <h1>Pod {name}</h1>
      {details.isPending ? <Loading what="pod details" /> : null}
      {details.isError ? <ErrorBanner title={`Pod ${namespace}/${name} could not be read`} error={details.error} onRetry={() => details.refetch()} /> : null}
      {pod && details.data ? (
        <>
          <dl className="facts">
            <dt>Namespace</dt>
            <dd>{namespace}</dd>
            <dt>Workload</dt>
            <dd>
              <Link href={`/workloads/${namespace}/${pod.workload}`}>{pod.workload}</Link>
            </dd>
            <dt>Status</dt>
            <dd>
              {pod.phase}
              {pod.ready ? "" : " (not ready)"}, {pod.restarts} restart{pod.restarts === 1 ? "" : "s"}
            </dd>
            <dt>Sidecar</dt>
            <dd>{pod.hasSidecar ? `istio-proxy${pod.proxyVersion ? ` ${pod.proxyVersion}` : ""}` : <span className="label label-missing">no sidecar</span>}</dd>
            <dt>Containers</dt>
            <dd>{details.data.containers.map((container) => `${container.name}${container.role === "app" ? "" : ` (${container.role})`}`).join(", ") || "none"}</dd>
            <dt>Labels</dt>
            <dd>
              <Labels labels={pod.labels} />
            </dd>
          </dl>
          <LogsSection namespace={namespace} workload={pod.workload} pods={[name]} />
        </>
      ) : null}
    </>
  );
}
