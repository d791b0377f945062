"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ErrorBanner, Loading } from "@/components/common/states";
import { YamlDiff } from "@/components/common/YamlDiff";
import { sendJson } from "@/lib/apiClient";
import { mtlsChangeResponseSchema, type DestinationRuleConflict, type MtlsChangeRequest } from "@/lib/api/mtls";
import { queryKeys } from "@/lib/queryKeys";
import styles from "./Mtls.module.css";

const ACTION_WORDS = { create: "will be created", replace: "will be changed", delete: "will be deleted", unchanged: "already says this: nothing to change" } as const;

function change(request: Omit<MtlsChangeRequest, "dryRun">, dryRun: boolean) {
  return sendJson("PUT", "/api/security/mtls", { ...request, dryRun }, mtlsChangeResponseSchema);
}

export function DestinationRuleWarnings({ conflicts }: { conflicts: readonly DestinationRuleConflict[] }) {
  if (conflicts.length === 0) return null;
  return (
    <div role="alert" className="state state-error" aria-label="DestinationRules that STRICT would break">
      <strong>Warning: {conflicts.length === 1 ? "a DestinationRule" : `${conflicts.length} DestinationRules`} would break under STRICT</strong>
      <ul>
        {conflicts.map((conflict) => (
          <li key={`${conflict.namespace}/${conflict.name}/${conflict.path}`} data-testid={`mtls-dr-conflict-${conflict.name}`}>
            DestinationRule {conflict.namespace}/{conflict.name} sends {conflict.tlsMode === "DISABLE" ? "plaintext" : `its own TLS (${conflict.tlsMode})`} to {conflict.host} (<code>{conflict.path}</code>); a STRICT server
            refuses it. Set it to ISTIO_MUTUAL or remove the setting first.
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The confirm step of enforcing STRICT (or rolling back): a dry run is sent as soon as it opens,
 * its diff and the DestinationRule warnings are shown, and only "Apply" writes.
 */
export function MtlsChangeDialog({ request, onClose }: { request: Omit<MtlsChangeRequest, "dryRun">; onClose: () => void }) {
  const queryClient = useQueryClient();
  const target = request.workload ? `workload ${request.namespace}/${request.workload}` : `namespace ${request.namespace}`;
  const title = request.action === "enforce" ? `Enforce STRICT mutual TLS for ${target}` : `Roll back the console's mTLS change for ${target}`;
  // A dry run writes nothing, but it is a change request (it counts against the change budget): asked once per opening.
  const preview = useQuery({ queryKey: ["mtls-change-preview", request], queryFn: () => change(request, true), staleTime: Infinity, gcTime: 0, retry: false });
  const apply = useMutation({
    mutationFn: () => change(request, false),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.allMtlsReadiness() }),
  });
  const result = apply.data ?? preview.data;
  return (
    <section className={styles.dialog} role="dialog" aria-label={title}>
      <h3>{title}</h3>
      {preview.isPending ? <Loading what="the dry run" /> : null}
      {preview.isError ? <ErrorBanner title="The dry run was refused; nothing was changed" error={preview.error} onRetry={() => preview.refetch()} /> : null}
      {result ? (
        <>
          <p role="status" data-testid="mtls-change-status">
            {apply.data
              ? `Applied: PeerAuthentication ${result.namespace}/${result.name} ${result.action === "create" ? "was created" : result.action === "delete" ? "was deleted" : result.action === "replace" ? "was changed" : "was already as asked"}.`
              : `Dry run passed: PeerAuthentication ${result.namespace}/${result.name} ${ACTION_WORDS[result.action]}.`}
          </p>
          <DestinationRuleWarnings conflicts={result.conflicts} />
          {result.action === "unchanged" ? null : (
            <figure className={styles.diff} aria-label="Changes to apply">
              <figcaption>PeerAuthentication {result.namespace}/{result.name}</figcaption>
              <YamlDiff before={result.before} after={result.after} />
            </figure>
          )}
        </>
      ) : null}
      {apply.isError ? <ErrorBanner title="The change was refused" error={apply.error} /> : null}
      <div className={styles.toolbar}>
        {apply.data ? null : (
          <button type="button" disabled={!preview.data || preview.data.action === "unchanged" || apply.isPending} onClick={() => apply.mutate()}>
            {apply.isPending ? "Applying…" : "Apply"}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {apply.data ? "Close" : "Cancel"}
        </button>
      </div>
    </section>
  );
}
