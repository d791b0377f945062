"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { Empty, ErrorBanner, Loading } from "@/components/common/states";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";
import { fetchJson } from "@/lib/apiClient";
import { queryKeys } from "@/lib/queryKeys";
import { formatPercent, formatRate } from "@/lib/format";
import type { ObjectDetails } from "@/lib/mesh";
import { peersSchema, type Peer } from "@/lib/signals/types";

/** What the "Denied (403)" figures are, said wherever they are shown (server/telemetry/policyDenials.ts). */
const DENIED_MEANING = "Requests answered 403 without a response flag: an AuthorizationPolicy denial shows as 403, and an app's own 403 looks the same.";

/** Requests to this object that look like policy denials: the callers' denials added up, so no extra query. */
function InboundDenied({ callers }: { callers: Peer[] }) {
  const denied = callers.reduce((sum, peer) => sum + peer.deniedPerSecond, 0);
  if (!(denied > 0)) return null;
  return (
    <p className="hint" data-testid="inbound-denied">
      Denied by policy: <strong>{formatRate(denied)}</strong> of the requests to it. {DENIED_MEANING}
    </p>
  );
}

function PeerTable({ label, peers, linkKind }: { label: string; peers: Peer[]; linkKind: "workloads" | "services" }) {
  if (peers.length === 0) return <Empty title={`No ${label.toLowerCase()} in this window`} />;
  return (
    <table className="list" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{linkKind === "workloads" ? "Workload" : "Service"}</th>
          <th scope="col">Namespace</th>
          {linkKind === "services" ? <th scope="col">Answered by</th> : null}
          <th scope="col" className="number">
            Requests
          </th>
          <th scope="col" className="number">
            Errors
          </th>
          <th scope="col" className="number" title={DENIED_MEANING}>
            Denied (403)
          </th>
        </tr>
      </thead>
      <tbody>
        {peers.map((peer) => (
          <tr key={`${peer.namespace}/${peer.name}/${peer.workload ?? ""}`}>
            <td>{peer.name === "unknown" ? <span title="Traffic from outside the mesh">unknown (outside the mesh)</span> : <Link href={`/${linkKind}/${peer.namespace}/${peer.name}`}>{peer.name}</Link>}</td>
            <td>{peer.namespace}</td>
            {linkKind === "services" ? <td>{peer.workload ?? <span className="label label-missing">no workload (request failed before it)</span>}</td> : null}
            <td className="number">{formatRate(peer.requestRate)}</td>
            <td className="number">{formatPercent(peer.requestRate > 0 ? peer.errorRate * 100 : null)}</td>
            <td className="number" data-testid="peer-denied">
              {peer.deniedPerSecond > 0 ? formatRate(peer.deniedPerSecond) : "–"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PeersSection({ kind, namespace, name }: { kind: ObjectDetails["kind"]; namespace: string; name: string }) {
  const { state } = useViewState();
  const peers = useQuery({
    queryKey: queryKeys.peers(kind, namespace, name, state.window),
    queryFn: () => fetchJson(`/api/peers?${new URLSearchParams({ kind, namespace, name, window: state.window })}`, peersSchema),
    refetchInterval: useRefreshInterval(),
  });
  if (peers.isPending) return <Loading what="callers and callees" />;
  if (peers.isError && !peers.data) return <ErrorBanner title="Callers and callees could not be read" error={peers.error} onRetry={() => peers.refetch()} />;
  return (
    <div className="two-columns">
      <section>
        <h2>Callers</h2>
        <InboundDenied callers={peers.data?.callers ?? []} />
        <PeerTable label="Callers" peers={peers.data?.callers ?? []} linkKind="workloads" />
      </section>
      {kind !== "service" ? (
        <section>
          <h2>Callees</h2>
          <PeerTable label="Callees" peers={peers.data?.callees ?? []} linkKind="services" />
        </section>
      ) : null}
    </div>
  );
}

export function RelatedConfigSection({ details }: { details: ObjectDetails }) {
  return (
    <section>
      <h2>Istio config</h2>
      {details.related.length === 0 ? (
        <Empty title="No Istio config applies here">Traffic follows the mesh defaults.</Empty>
      ) : (
        <table className="list" aria-label="Istio config that applies">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Name</th>
              <th scope="col">Why it applies</th>
            </tr>
          </thead>
          <tbody>
            {details.related.map((object) => (
              <tr key={`${object.kind}/${object.namespace}/${object.name}`}>
                <td>{object.kind}</td>
                <td>
                  <Link href={`/istio/${object.namespace}/${object.kind}/${object.name}`}>
                    {object.namespace}/{object.name}
                  </Link>
                </td>
                <td>{object.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function PodsSection({ details }: { details: ObjectDetails }) {
  return (
    <section>
      <h2>Pods</h2>
      {details.pods.length === 0 ? (
        <Empty title="No pods" />
      ) : (
        <table className="list" aria-label="Pods">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col" className="number">
                Restarts
              </th>
              <th scope="col">Sidecar</th>
              <th scope="col">Proxy version</th>
            </tr>
          </thead>
          <tbody>
            {details.pods.map((pod) => (
              <tr key={pod.name}>
                <td>
                  <Link href={`/pods/${pod.namespace || details.namespace}/${pod.name}`}>{pod.name}</Link>
                </td>
                <td>
                  {pod.phase}
                  {pod.ready ? "" : " (not ready)"}
                </td>
                <td className="number">{pod.restarts}</td>
                <td>{pod.hasSidecar ? "yes" : <span className="label label-missing">no sidecar</span>}</td>
                <td>{pod.proxyVersion ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
