"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { ErrorBanner, Loading } from "@/components/common/states";
import { YamlDiff } from "@/components/common/YamlDiff";
import { useViewState } from "@/components/layout/ViewStateContext";
import { fetchJson, sendJson } from "@/lib/apiClient";
import {
  authorizationChangeResultSchema,
  authorizationPath,
  authorizationStateSchema,
  type AuthorizationChange,
  type AuthorizationGranularity,
  type AuthorizationState,
  type CallerPreview,
} from "@/lib/api/security";
import { queryKeys } from "@/lib/queryKeys";
import { windowLabel } from "@/lib/timeWindows";
import styles from "./AuthorizationPolicySection.module.css";

const GRANULARITY_PARAM = "authz";

/** The granularity lives in the URL (`?authz=namespaces`), so a link shows the same proposal. */
function useGranularity(): [AuthorizationGranularity, (value: AuthorizationGranularity) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const value: AuthorizationGranularity = params.get(GRANULARITY_PARAM) === "namespaces" ? "namespaces" : "principals";
  const set = (next: AuthorizationGranularity) => {
    const search = new URLSearchParams(params.toString());
    if (next === "principals") search.delete(GRANULARITY_PARAM);
    else search.set(GRANULARITY_PARAM, next);
    router.replace(`${pathname}?${search}`, { scroll: false });
  };
  return [value, set];
}

function Decision({ decision }: { decision: CallerPreview["now"] }) {
  return (
    <>
      <span className={decision.allowed ? styles.allowed : styles.denied}>{decision.allowed ? "Allowed" : "Denied"}</span>
      {decision.uncertain ? " (uncertain)" : null}: {decision.reason}
    </>
  );
}

function PolicyDiff({ before, after, caption }: { before: string | null; after: string | null; caption: string }) {
  return (
    <figure className={styles.diff}>
      <figcaption>{caption}</figcaption>
      <YamlDiff before={before} after={after} testId="authorization-policy-yaml" />
    </figure>
  );
}

function PreviewTable({ callers }: { callers: readonly CallerPreview[] }) {
  if (callers.length === 0) return <p className="muted">No requests reached this workload in the window.</p>;
  return (
    <table className="list" aria-label="Observed callers under the proposed policy">
      <thead>
        <tr>
          <th scope="col">Caller</th>
          <th scope="col">Identity (mTLS principal)</th>
          <th scope="col">Requests in window</th>
          <th scope="col">Now</th>
          <th scope="col">With the proposed policy</th>
        </tr>
      </thead>
      <tbody>
        {callers.map((caller) => (
          <tr key={`${caller.sourceNamespace}/${caller.sourceWorkload}/${caller.principal ?? ""}/${caller.protocol}`} data-testid="authorization-caller">
            <th scope="row">
              {caller.sourceNamespace}/{caller.sourceWorkload} <span className="muted">({caller.protocol})</span>
            </th>
            <td>{caller.principal ?? "none (plain text or outside the mesh)"}</td>
            <td>{caller.requests}</td>
            <td>
              <Decision decision={caller.now} />
            </td>
            <td>
              <Decision decision={caller.proposed} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The workload page's "AuthorizationPolicy from observed traffic": proposal, preview, dry run, apply and rollback. */
export function AuthorizationPolicySection({ namespace, workload }: { namespace: string; workload: string }) {
  const { state: view } = useViewState();
  const [granularity, setGranularity] = useGranularity();
  const [acknowledged, setAcknowledged] = useState(false);
  const queryClient = useQueryClient();
  // No background refetch: what is applied must be what the person previewed.
  const proposal = useQuery({
    queryKey: queryKeys.authorizationProposal(namespace, workload, view.window, granularity),
    queryFn: () => fetchJson(authorizationPath({ namespace, workload, window: view.window, granularity }), authorizationStateSchema),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const change = useMutation({
    mutationFn: (body: AuthorizationChange) => sendJson("PUT", "/api/security/authorization", body, authorizationChangeResultSchema),
    onSuccess: (result) => {
      if (result.dryRun) return;
      setAcknowledged(false);
      void queryClient.invalidateQueries({ queryKey: queryKeys.authorizationProposals(namespace, workload) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.allIstioConfig() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.details("workload", namespace, workload) });
    },
  });

  const data: AuthorizationState | undefined = proposal.data;
  const applyBody = (dryRun: boolean): AuthorizationChange | undefined =>
    data
      ? { action: "apply", namespace, workload, granularity, sources: data.proposal.sources, dryRun, ...(data.current ? { resourceVersion: data.current.resourceVersion } : {}) }
      : undefined;
  const disabled = data && !data.canWrite ? data.reason : undefined;
  const needsAcknowledgement = !!data?.proposal.deniesObservedTraffic && !acknowledged;

  return (
    <section aria-labelledby="authorization-policy" className={styles.section}>
      <h2 id="authorization-policy">Authorization from observed traffic</h2>
      <p className="muted">
        An ALLOW AuthorizationPolicy admitting exactly the callers this workload&apos;s proxy saw ({windowLabel(view.window).toLowerCase()}). Methods, paths and ports are not in Istio&apos;s standard metrics, so the policy
        cannot be narrowed to them.
      </p>
      <fieldset className={styles.toolbar}>
        <legend>Admit callers by</legend>
        {(["principals", "namespaces"] as const).map((value) => (
          <label key={value}>
            <input type="radio" name="authorization-granularity" value={value} checked={granularity === value} onChange={() => setGranularity(value)} />{" "}
            {value === "principals" ? "service account (principal)" : "namespace"}
          </label>
        ))}
      </fieldset>
      {proposal.isPending ? <Loading what="the authorization proposal" /> : null}
      {proposal.isError ? <ErrorBanner title={`The authorization proposal for ${namespace}/${workload} could not be made`} error={proposal.error} onRetry={() => proposal.refetch()} /> : null}
      {data ? (
        <>
          {data.proposal.deniesObservedTraffic ? (
            <p className="state state-stale" role="alert" data-testid="denies-observed-traffic">
              This policy would deny traffic seen in the window: {data.proposal.deniedObserved.callers} caller{data.proposal.deniedObserved.callers === 1 ? "" : "s"}, {data.proposal.deniedObserved.requests} request
              {data.proposal.deniedObserved.requests === 1 ? "" : "s"}. See the table below.
            </p>
          ) : (
            <p role="status" data-testid="denies-observed-traffic">
              Every caller seen in the window stays allowed.
            </p>
          )}
          <ul aria-label="About this proposal">
            {data.proposal.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
          <PreviewTable callers={data.proposal.callers} />
          <p data-testid="newcomer-decision">
            A caller not seen in the window ({data.proposal.newcomer.principal}) would be <Decision decision={data.proposal.newcomer} />
          </p>
          <PolicyDiff
            before={data.current?.yaml ?? null}
            after={data.proposal.yaml}
            caption={data.current ? `AuthorizationPolicy ${data.current.name} will be changed` : `AuthorizationPolicy ${data.proposal.policy.metadata.name} will be created`}
          />
          {disabled ? (
            <p className="state state-stale" role="note">
              Changes disabled: {disabled}
            </p>
          ) : null}
          {data.proposal.deniesObservedTraffic ? (
            <label>
              <input type="checkbox" checked={acknowledged} onChange={(event) => setAcknowledged(event.target.checked)} /> I understand this policy denies traffic seen in the window
            </label>
          ) : null}
          <div className={styles.toolbar} role="group" aria-label="Authorization policy actions">
            <button type="button" disabled={!!disabled || change.isPending} onClick={() => change.mutate(applyBody(true)!)}>
              Dry run
            </button>
            <button type="button" disabled={!!disabled || change.isPending || needsAcknowledgement} onClick={() => change.mutate(applyBody(false)!)}>
              Apply policy
            </button>
            <button
              type="button"
              disabled={!!disabled || change.isPending || !data.current?.rollbackAvailable}
              title={data.current?.rollbackAvailable ? "Restore the policy from before the console's last change, or delete the one it created" : "The console has no policy here to roll back"}
              onClick={() => data.current && change.mutate({ action: "rollback", namespace, workload, resourceVersion: data.current.resourceVersion, dryRun: false })}
            >
              Roll back
            </button>
            <button type="button" onClick={() => proposal.refetch()} disabled={proposal.isFetching}>
              Refresh proposal
            </button>
          </div>
          {change.isError ? <ErrorBanner title="The change failed" error={change.error} onRetry={() => proposal.refetch()} /> : null}
          {change.isSuccess ? (
            <p role="status" data-testid="authorization-change-result">
              {change.data.dryRun ? "Dry run passed: " : "Done: "}AuthorizationPolicy {change.data.name} {change.data.dryRun ? "would be" : "was"}{" "}
              {{ create: "created", replace: "changed", delete: "deleted", unchanged: "left as it is" }[change.data.action]}.
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
