"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Empty, ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";
import { fetchJson } from "@/lib/apiClient";
import { mtlsReadinessResponseSchema, type MtlsChangeRequest, type MtlsVerdict, type NamespaceReadiness, type PlaintextCaller, type WorkloadReadiness } from "@/lib/api/mtls";
import { queryKeys } from "@/lib/queryKeys";
import { windowLabel } from "@/lib/timeWindows";
import { DestinationRuleWarnings, MtlsChangeDialog } from "./MtlsChangeDialog";
import styles from "./Mtls.module.css";

/** The namespace opened for details lives in the URL, so a link shows the same view. */
const FOCUS_PARAM = "mtls";

const VERDICT_WORDS: Record<MtlsVerdict, string> = {
  ready: "Safe to enforce STRICT",
  plaintext: "Not ready: plaintext traffic",
  "too-little-traffic": "Not enough traffic to judge",
  enforced: "STRICT enforced",
  "no-proxy": "No proxy: not in the mesh",
};
const VERDICT_CLASS: Record<MtlsVerdict, string | undefined> = { ready: styles.ready, enforced: styles.ready, plaintext: styles.blocked, "too-little-traffic": styles.unknown, "no-proxy": styles.unknown };

function Verdict({ verdict, reason }: { verdict: MtlsVerdict; reason: string }) {
  return (
    <span className={`${styles.verdict} ${VERDICT_CLASS[verdict] ?? ""}`} title={reason} data-verdict={verdict}>
      {VERDICT_WORDS[verdict]}
    </span>
  );
}

function modeText(readiness: NamespaceReadiness | WorkloadReadiness): string {
  const { mode, source, ports } = readiness.effective;
  const from = source.scope === "default" ? "Istio's default (no PeerAuthentication)" : `${source.scope === "mesh" ? "mesh-wide" : source.scope} PeerAuthentication ${source.namespace}/${source.name}`;
  const overrides = ports.length ? `; port${ports.length === 1 ? "" : "s"} ${ports.map((port) => `${port.port}: ${port.mode}`).join(", ")}` : "";
  return `${mode} from ${from}${overrides}`;
}

function count(value: number): string {
  return value >= 10 ? Math.round(value).toLocaleString() : String(Math.round(value * 10) / 10);
}

function CallerText({ caller, withoutProxy }: { caller: PlaintextCaller; withoutProxy: readonly { namespace: string; name: string }[] }) {
  const volume = [caller.requests > 0 ? `${count(caller.requests)} requests` : "", caller.tcpBytes > 0 ? `${count(caller.tcpBytes)} TCP bytes` : ""].filter(Boolean).join(", ");
  const to = `to ${caller.destinationWorkload}: ${volume}`;
  if (caller.kind === "no-proxy") return <>{caller.sourceNamespace}/{caller.sourceWorkload} (no proxy: it sends plaintext; inject a proxy into it) {to}</>;
  if (caller.kind === "meshed") return <>{caller.sourceNamespace}/{caller.sourceWorkload} (has a proxy but sent plaintext: check its DestinationRule TLS settings) {to}</>;
  const candidates = withoutProxy.map((workload) => `${workload.namespace}/${workload.name}`).join(", ");
  return (
    <>
      Unidentified caller (outside the mesh, or a workload without a proxy: the receiving proxy cannot name a caller that has none) {to}.
      {candidates ? ` Workloads without a proxy that could be sending it: ${candidates}.` : " No workload without a proxy in the namespaces read: the traffic comes from outside the mesh."}
    </>
  );
}

function Callers({ callers, withoutProxy }: { callers: readonly PlaintextCaller[]; withoutProxy: readonly { namespace: string; name: string }[] }) {
  if (callers.length === 0) return <p>No plaintext traffic arrived in the window.</p>;
  return (
    <ul aria-label="Plaintext callers">
      {callers.map((caller) => (
        <li key={`${caller.sourceNamespace}/${caller.sourceWorkload}>${caller.destinationWorkload}`} data-testid={`mtls-caller-${caller.sourceWorkload ?? "unidentified"}-${caller.destinationWorkload}`}>
          <CallerText caller={caller} withoutProxy={withoutProxy} />
        </li>
      ))}
    </ul>
  );
}

function ChangeButtons({ readiness, target, onChange, viewOnly }: { readiness: NamespaceReadiness | WorkloadReadiness; target: { namespace: string; workload?: string }; onChange: (request: Omit<MtlsChangeRequest, "dryRun">) => void; viewOnly: boolean }) {
  if (viewOnly) return <span className="muted">View-only</span>;
  const label = target.workload ? `${target.namespace}/${target.workload}` : target.namespace;
  const canEnforce = readiness.verdict !== "enforced" && readiness.verdict !== "no-proxy";
  return (
    <>
      {canEnforce ? (
        <button type="button" onClick={() => onChange({ action: "enforce", ...target })} aria-label={`Enforce STRICT for ${label}`}>
          Enforce STRICT{readiness.verdict === "ready" ? "" : "…"}
        </button>
      ) : null}{" "}
      {readiness.policy?.rollbackAvailable ? (
        <button type="button" onClick={() => onChange({ action: "rollback", ...target })} aria-label={`Roll back mTLS for ${label}`}>
          Roll back
        </button>
      ) : null}
    </>
  );
}

function NamespaceDetails({ readiness, withoutProxy, onChange, viewOnly }: { readiness: NamespaceReadiness; withoutProxy: readonly { namespace: string; name: string }[]; onChange: (request: Omit<MtlsChangeRequest, "dryRun">) => void; viewOnly: boolean }) {
  return (
    <section className={styles.details} aria-label={`mTLS in ${readiness.namespace}`}>
      <h3>{readiness.namespace}</h3>
      <p data-testid="mtls-namespace-reason">{readiness.reason}</p>
      <h4>Plaintext callers</h4>
      <Callers callers={readiness.callers} withoutProxy={withoutProxy} />
      <DestinationRuleWarnings conflicts={readiness.conflicts} />
      {readiness.exceptions.length ? (
        <>
          <h4>Workload policies a namespace-wide STRICT does not override</h4>
          <ul>
            {readiness.exceptions.map((exception) => (
              <li key={exception.workload}>
                {exception.workload}: PeerAuthentication {exception.policy} sets {exception.mode}
                {exception.ports.length ? ` (ports ${exception.ports.join(", ")} not STRICT)` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h4>Workloads</h4>
      {readiness.workloads.length === 0 ? (
        <Empty title={`No application workloads in ${readiness.namespace}`} />
      ) : (
        <table className={styles.table} aria-label={`Workloads of ${readiness.namespace}`}>
          <thead>
            <tr>
              <th scope="col">Workload</th>
              <th scope="col">Effective mode</th>
              <th scope="col">Verdict</th>
              <th scope="col">Requests (plaintext)</th>
              <th scope="col">Plaintext callers</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {readiness.workloads.map((workload) => (
              <tr key={workload.workload} data-testid={`mtls-workload-${workload.workload}`}>
                <th scope="row">{workload.workload}</th>
                <td>{workload.hasProxy ? modeText(workload) : "No proxy: PeerAuthentications do not apply"}</td>
                <td>
                  <Verdict verdict={workload.verdict} reason={workload.reason} />
                </td>
                <td>
                  {count(workload.totals.requests)} ({count(workload.totals.plaintextRequests)})
                </td>
                <td>
                  <Callers callers={workload.callers} withoutProxy={withoutProxy} />
                  <DestinationRuleWarnings conflicts={workload.conflicts} />
                </td>
                <td>
                  <ChangeButtons readiness={workload} target={{ namespace: workload.namespace, workload: workload.workload }} onChange={onChange} viewOnly={viewOnly} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** mTLS readiness of the selected namespaces over the selected window, with enforce and rollback. */
export function MtlsSection() {
  const { state, viewOnly } = useViewState();
  const refetchInterval = useRefreshInterval();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [change, setChange] = useState<Omit<MtlsChangeRequest, "dryRun"> | null>(null);
  const focus = params.get(FOCUS_PARAM);
  const query = useQuery({
    queryKey: queryKeys.mtlsReadiness(state.namespaces, state.window),
    queryFn: () => fetchJson(`/api/security/mtls?${new URLSearchParams({ namespaces: state.namespaces.join(","), window: state.window })}`, mtlsReadinessResponseSchema),
    refetchInterval,
  });
  const setFocus = (namespace: string | null) => {
    const next = new URLSearchParams(params.toString());
    if (namespace) next.set(FOCUS_PARAM, namespace);
    else next.delete(FOCUS_PARAM);
    router.replace(`${pathname}?${next}`, { scroll: false });
  };

  if (query.isPending) return <Loading what="mTLS readiness" />;
  if (query.isError && !query.data) return <ErrorBanner title="mTLS readiness could not be read" error={query.error} onRetry={() => query.refetch()} />;
  const data = query.data;
  const focused = data.namespaces.find((namespace) => namespace.namespace === focus);
  return (
    <section aria-label="Mutual TLS readiness">
      <h2>Mutual TLS</h2>
      {query.isError ? <StaleBanner error={query.error} /> : null}
      <p className="muted">
        Inbound traffic over the {windowLabel(state.window).toLowerCase()}, as the receiving proxies reported it. &ldquo;Safe to enforce STRICT&rdquo; needs no plaintext in the window and at least{" "}
        {data.minRequests} requests (or {Math.round(data.minTcpBytes / 1024)} KiB of TCP) to judge.
        {data.meshPolicyReadable ? "" : " Your account may not read the root namespace's mesh-wide policy: a mode shown as Istio's default may be set there."}
      </p>
      {change ? <MtlsChangeDialog key={JSON.stringify(change)} request={change} onClose={() => setChange(null)} /> : null}
      {data.namespaces.length === 0 ? (
        <Empty title="No namespaces to show" />
      ) : (
        <table className={styles.table} aria-label="Namespaces' mTLS readiness">
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col">Effective mode</th>
              <th scope="col">Verdict</th>
              <th scope="col">Requests (plaintext)</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {data.namespaces.map((namespace) => (
              <tr key={namespace.namespace} data-testid={`mtls-namespace-${namespace.namespace}`}>
                <th scope="row">
                  <button type="button" className="link-button" aria-expanded={focus === namespace.namespace} onClick={() => setFocus(focus === namespace.namespace ? null : namespace.namespace)}>
                    {namespace.namespace}
                  </button>
                </th>
                <td>{modeText(namespace)}</td>
                <td>
                  <Verdict verdict={namespace.verdict} reason={namespace.reason} />
                </td>
                <td>
                  {count(namespace.totals.requests)} ({count(namespace.totals.plaintextRequests)})
                </td>
                <td>
                  <ChangeButtons readiness={namespace} target={{ namespace: namespace.namespace }} onChange={setChange} viewOnly={viewOnly} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {focused ? <NamespaceDetails readiness={focused} withoutProxy={data.workloadsWithoutProxy} onChange={setChange} viewOnly={viewOnly} /> : null}
    </section>
  );
}
