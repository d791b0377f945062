"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { ErrorBanner, Loading } from "@/components/common/states";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";
import { fetchJson } from "@/lib/apiClient";
import { ambientHealthProblems, ambientHealthSchema } from "@/lib/mesh";
import { queryKeys } from "@/lib/queryKeys";

/** ztunnel and the waypoints: shown when the mesh runs the ambient data plane at all. */
export function AmbientCard() {
  const { state } = useViewState();
  const ambient = useQuery({
    queryKey: queryKeys.ambientHealth(state.namespaces),
    queryFn: () => fetchJson(`/api/ambient?${new URLSearchParams(state.namespaces.length ? { namespaces: state.namespaces.join(",") } : {})}`, ambientHealthSchema),
    refetchInterval: useRefreshInterval(),
  });
  if (ambient.isPending) return <Loading what="ambient data plane" />;
  if (ambient.isError && !ambient.data) return <ErrorBanner title="The ambient data plane could not be read" error={ambient.error} />;
  const health = ambient.data;
  if (!health || ((health.ztunnel?.pods ?? 0) === 0 && health.waypoints.length === 0)) return null;
  const problems = ambientHealthProblems(health);
  return (
    <article className="card" aria-labelledby="ambient-title" data-testid="ambient-card">
      <h2 id="ambient-title">Ambient data plane</h2>
      <dl className="facts compact">
        <dt>ztunnel</dt>
        <dd data-testid="ztunnel-health">{health.ztunnel ? `${health.ztunnel.ready} of ${health.ztunnel.pods} pods ready` : "not readable with your account"}</dd>
        {health.waypoints.map((waypoint) => (
          <div key={`${waypoint.namespace}/${waypoint.name}`}>
            <dt>
              Waypoint{" "}
              <Link href={`/istio/${waypoint.namespace}/K8sGateway/${waypoint.name}`}>
                {waypoint.namespace}/{waypoint.name}
              </Link>
            </dt>
            <dd data-testid="waypoint-health">
              {waypoint.programmed === false ? "not programmed" : waypoint.programmed === null ? "not yet programmed" : "programmed"}, {waypoint.readyReplicas} of {waypoint.desiredReplicas} replicas ready
            </dd>
          </div>
        ))}
      </dl>
      {problems.map((problem) => (
        <p key={problem} className="warning" role="status">
          ▲ {problem}
        </p>
      ))}
      {problems.length === 0 ? <p className="muted">Healthy</p> : null}
    </article>
  );
}
