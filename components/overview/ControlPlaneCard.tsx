"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorBanner, Loading } from "@/components/common/states";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";
import { controlPlaneSchema } from "@/lib/api/overview";
import { fetchJson } from "@/lib/apiClient";
import { queryKeys } from "@/lib/queryKeys";

const show = (value: number | null, digits: number, unit = "") => (value === null ? "—" : `${value.toFixed(digits)}${unit}`);

export function ControlPlaneCard() {
  const { state } = useViewState();
  const controlPlane = useQuery({
    queryKey: queryKeys.controlPlane(state.window),
    queryFn: () => fetchJson(`/api/control-plane?window=${state.window}`, controlPlaneSchema),
    refetchInterval: useRefreshInterval(),
  });
  return (
    <article className="card control-plane" aria-labelledby="control-plane-title">
      <h2 id="control-plane-title">Control plane (istiod)</h2>
      {controlPlane.isPending ? <Loading what="istiod metrics" /> : null}
      {controlPlane.isError && !controlPlane.data ? <ErrorBanner title="istiod metrics could not be read" error={controlPlane.error} /> : null}
      {controlPlane.data ? (
        <>
          <dl className="facts compact">
            <dt>Connected proxies</dt>
            <dd data-testid="connected-proxies">{show(controlPlane.data.connectedProxies, 0)}</dd>
            <dt>Config pushes</dt>
            <dd>{show(controlPlane.data.pushesPerMinute, 1, " / min")}</dd>
            <dt>Push convergence p99</dt>
            <dd>{show(controlPlane.data.convergenceP99Seconds, 2, " s")}</dd>
            <dt>Rejected configs</dt>
            <dd>{show(controlPlane.data.rejectsInWindow, 0)}</dd>
          </dl>
          {controlPlane.data.warnings.map((warning) => (
            <p key={warning} className="warning" role="status">
              ▲ {warning}
            </p>
          ))}
        </>
      ) : null}
    </article>
  );
}
