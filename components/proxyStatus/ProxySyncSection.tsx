"use client";

import { ErrorBanner, Loading } from "@/components/common/states";
import { XDS_SHORT_TYPES, type ProxySync, type XdsTypeSync } from "@/lib/api/proxyStatus";
import { useProxyStatus } from "./useProxyStatus";

/** What each status means, for the cell's title and screen readers. */
const MEANING: Record<XdsTypeSync["status"], string> = {
  SYNCED: "the proxy acknowledged istiod's last push",
  STALE: "istiod sent config the proxy has not acknowledged",
  "NOT SENT": "istiod has sent nothing of this type yet",
  ERROR: "the proxy rejected istiod's last push",
  IGNORED: "the proxy does not subscribe to this type",
};

function statusText(sync: XdsTypeSync): string {
  if (sync.status === "STALE" && sync.neverAcknowledged) return "STALE (never acknowledged)";
  return sync.status;
}

function StatusCell({ sync }: { sync: XdsTypeSync | undefined }) {
  if (!sync) return <td className="muted">—</td>;
  const problem = sync.status === "STALE" || sync.status === "ERROR";
  return (
    <td title={`${MEANING[sync.status]}${sync.error ? `: ${sync.error}` : ""}`} className={problem ? "warning" : undefined} data-testid={`xds-${sync.type}`}>
      {problem ? "▲ " : ""}
      {statusText(sync)}
      {sync.error ? <span className="muted"> — {sync.error}</span> : null}
    </td>
  );
}

/** The workload page's section: for each of its pods, every xDS type's sync with istiod. */
export function ProxySyncSection({ namespace, workload }: { namespace: string; workload: string }) {
  const status = useProxyStatus([namespace]);
  const proxies: ProxySync[] = (status.data?.proxies ?? []).filter((proxy) => proxy.workload === workload);
  const unanswered = (status.data?.istiods ?? []).filter((istiod) => istiod.error !== null);
  return (
    <section aria-labelledby="proxy-sync-heading" data-testid="proxy-sync">
      <h2 id="proxy-sync-heading">Proxy sync</h2>
      {status.isPending ? <Loading what="proxy sync status" /> : null}
      {status.isError ? <ErrorBanner title="istiod's proxy sync status could not be read" error={status.error} onRetry={() => status.refetch()} /> : null}
      {unanswered.map((istiod) => (
        <p key={istiod.name} className="warning">
          istiod {istiod.name} did not answer: {istiod.error}
        </p>
      ))}
      {status.data && proxies.length === 0 ? <p className="muted">No proxy of this workload is connected to istiod.</p> : null}
      {proxies.length > 0 ? (
        <table>
          <caption className="muted">As istioctl proxy-status shows it; read {new Date(status.data?.readAt ?? "").toLocaleTimeString()}</caption>
          <thead>
            <tr>
              <th scope="col">Pod</th>
              {XDS_SHORT_TYPES.map((type) => (
                <th key={type} scope="col">
                  {type}
                </th>
              ))}
              <th scope="col">istiod</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {proxies.map((proxy) => (
              <tr key={proxy.id} data-testid={`proxy-sync-${proxy.pod}`}>
                <th scope="row">
                  {proxy.pod}
                  {proxy.outOfSync ? <span className="warning"> (out of sync)</span> : null}
                </th>
                {XDS_SHORT_TYPES.map((type) => (
                  <StatusCell key={type} sync={proxy.types.find((sync) => sync.type === type)} />
                ))}
                <td>{proxy.istiod}</td>
                <td>{proxy.istioVersion}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
