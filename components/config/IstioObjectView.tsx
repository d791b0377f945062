"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { stringify } from "yaml";
import { ErrorBanner, Loading } from "@/components/common/states";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";
import { ValidationBadge } from "@/components/validation/ValidationBadge";
import { worstSeverity } from "@/components/validation/findingIndex";
import { useValidations } from "@/components/validation/useValidations";
import { istioObjectPath, istioObjectResponseSchema } from "@/lib/api/istioConfig";
import { CLUSTER_SCOPE_SEGMENT, isGatewayApiKind } from "@/lib/istioKinds";
import { ApiError, fetchJson } from "@/lib/apiClient";
import { changedOnlyInStatus } from "@/lib/kubeObjectChanges";
import { queryKeys } from "@/lib/queryKeys";
import type { Finding } from "@/lib/validation/finding";
import { ChangeOutcome, refusedLines, toOutcome, type Outcome } from "./ChangeOutcome";
import { deleteObject, replaceObject } from "./configApi";
import { GatewayApiSummaryPanel } from "./GatewayApiSummaryPanel";
import styles from "./config.module.css";
import { lineOfPath } from "./yamlLines";
import { YamlEditor, YamlView, type LineMarker } from "./YamlView";

function findingMarkers(text: string, findings: readonly Finding[]): Map<number, LineMarker[]> {
  const markers = new Map<number, LineMarker[]>();
  for (const finding of findings) {
    // A finding about the whole object goes on its first line.
    const line = (finding.path ? lineOfPath(text, finding.path) : undefined) ?? 1;
    markers.set(line, [...(markers.get(line) ?? []), { severity: finding.severity, text: `${finding.code}: ${finding.message}` }]);
  }
  return markers;
}

/** In the order people read Kubernetes YAML: apiVersion, kind, metadata, then the rest. */
function asYaml(object: Record<string, unknown>): string {
  const { apiVersion, kind, metadata, ...rest } = object;
  return stringify({ apiVersion, kind, metadata, ...rest });
}

interface Editing {
  draft: string;
  /** The resourceVersion the draft started from; Save writes only if the object is still at it. */
  readVersion: string;
  /** The object as read when editing began, to tell a status write meanwhile from someone's edit. */
  readObject: object;
}

/** `namespace` is the URL's segment: `_cluster` for a cluster-scoped object. */
export function IstioObjectView({ namespace, kind, name }: { namespace: string; kind: string; name: string }) {
  const ref = { namespace, kind, name };
  const clusterScoped = namespace === CLUSTER_SCOPE_SEGMENT;
  const queryClient = useQueryClient();
  const router = useRouter();
  const field = useSearchParams().get("field") ?? "";
  const { viewOnly } = useViewState();
  const [editing, setEditing] = useState<Editing | undefined>();
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const refreshInterval = useRefreshInterval();
  const object = useQuery({
    queryKey: queryKeys.istioObject(namespace, kind, name),
    queryFn: () => fetchJson(istioObjectPath(namespace, kind, name), istioObjectResponseSchema),
    // While editing, the draft stays on the version it was read at; Save then tells whether it moved on.
    refetchInterval: editing ? false : refreshInterval,
    refetchOnWindowFocus: !editing,
  });
  // Findings are per namespace; a cluster-scoped object's are read with every namespace's.
  const { query: validations, index } = useValidations(clusterScoped ? [] : [namespace]);
  const findings = index.of(kind, namespace, name);
  const text = useMemo(() => (object.data ? asYaml(object.data.object) : ""), [object.data]);
  const markers = useMemo(() => findingMarkers(text, findings), [text, findings]);

  if (object.isPending) return <Loading what={`${kind} ${namespace}/${name}`} />;
  if (object.isError) return <ErrorBanner title={`${kind} ${namespace}/${name} could not be read`} error={object.error} onRetry={() => object.refetch()} />;
  const resourceVersion = object.data.object.metadata.resourceVersion ?? "";

  const refresh = () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.istioObject(namespace, kind, name) }), queryClient.invalidateQueries({ queryKey: queryKeys.allValidations() }), queryClient.invalidateQueries({ queryKey: queryKeys.allIstioConfig() })]);

  async function run(action: () => Promise<Outcome | void>) {
    setBusy(true);
    try {
      const result = await action();
      if (result) setOutcome(result);
    } catch (error) {
      setOutcome(toOutcome(error));
    } finally {
      setBusy(false);
    }
  }

  const check = () =>
    run(async () => {
      await replaceObject(ref, editing?.draft ?? "", editing?.readVersion ?? "", true);
      return { kind: "ok", message: "The change fits the Istio schema and the API server accepts it (dry run: nothing was saved)." };
    });

  /**
   * Saves at the version the draft was read at. When that is refused because the object moved on,
   * and it moved on only in its status (a controller's write, such as istiod's after every change of
   * a route), the draft is saved once more at the current version: nothing anyone edited is lost.
   */
  const save = () =>
    run(async () => {
      if (!editing) return;
      let statusMovedOn = false;
      try {
        await replaceObject(ref, editing.draft, editing.readVersion, false);
      } catch (error) {
        if (!(error instanceof ApiError && error.isConflict)) throw error;
        const current = await fetchJson(istioObjectPath(namespace, kind, name), istioObjectResponseSchema);
        if (!changedOnlyInStatus(editing.readObject, current.object)) throw error;
        await replaceObject(ref, editing.draft, current.object.metadata.resourceVersion ?? "", false);
        statusMovedOn = true;
      }
      setEditing(undefined);
      await refresh();
      return {
        kind: "ok",
        message: statusMovedOn
          ? `Saved ${kind} ${namespace}/${name}. Only its status had changed since you opened it (written by its controller), so your edit was saved over the current version.`
          : `Saved ${kind} ${namespace}/${name}.`,
      };
    });

  const reload = () =>
    run(async () => {
      setEditing(undefined);
      await object.refetch();
      return { kind: "ok", message: "Reloaded the current version; your edit was not saved." };
    });

  const remove = () =>
    run(async () => {
      await deleteObject(ref, resourceVersion);
      await refresh();
      router.push(clusterScoped ? "/istio" : `/istio?namespaces=${encodeURIComponent(namespace)}`);
    });

  const status = validations.data ? worstSeverity(findings) : null;
  return (
    <>
      <div className={styles.toolbar}>
        <ValidationBadge status={status ?? "valid"} loading={status === null} count={findings.length} />
        <span className="muted">resourceVersion {resourceVersion}</span>
        {viewOnly || editing ? null : (
          <>
            <button type="button" onClick={() => { setEditing({ draft: text, readVersion: resourceVersion, readObject: object.data.object }); setOutcome(undefined); setConfirmingDelete(false); }}>
              Edit
            </button>
            <button type="button" className={styles.danger} onClick={() => setConfirmingDelete(true)}>
              Delete…
            </button>
          </>
        )}
        {editing ? (
          <>
            <button type="button" onClick={check} disabled={busy}>
              Check
            </button>
            <button type="button" className={styles.primary} onClick={save} disabled={busy}>
              Save
            </button>
            <button type="button" onClick={() => { setEditing(undefined); setOutcome(undefined); }} disabled={busy}>
              Cancel
            </button>
          </>
        ) : null}
      </div>
      {confirmingDelete && !viewOnly ? (
        <div className={styles.confirm} role="alertdialog" aria-label="Confirm delete">
          <p>
            Delete {kind} <strong>{namespace}/{name}</strong>? Traffic rules it holds stop applying at once.
          </p>
          <button type="button" className={styles.danger} onClick={remove} disabled={busy}>
            Delete {kind} {name}
          </button>{" "}
          <button type="button" onClick={() => setConfirmingDelete(false)}>
            Keep it
          </button>
        </div>
      ) : null}
      {outcome ? <ChangeOutcome outcome={outcome} draft={editing?.draft ?? text} onReload={reload} /> : null}
      {isGatewayApiKind(kind) && !editing ? <GatewayApiSummaryPanel object={object.data.object} /> : null}
      {editing ? (
        <YamlEditor label={`Edit ${kind} ${name}`} value={editing.draft} onChange={(draft) => setEditing({ ...editing, draft })} marked={new Set([...refusedLines(outcome, editing.draft), ...findingMarkers(editing.draft, findings).keys()])} />
      ) : (
        <YamlView label={`${kind} ${name} YAML`} text={text} markers={markers} focusLine={field ? lineOfPath(text, field) : undefined} />
      )}
      {findings.length > 0 ? (
        <section aria-label="Findings">
          <h2>Findings</h2>
          <ul className={styles.findings}>
            {findings.map((finding) => (
              <li key={`${finding.code}/${finding.path}/${finding.message}`} data-testid={`object-finding-${finding.code}`}>
                <ValidationBadge status={finding.severity} count={1} /> <code>{finding.code}</code> {finding.message}
                {finding.path ? (
                  <>
                    {" "}
                    at <code>{finding.path}</code> (line {lineOfPath(editing?.draft ?? text, finding.path) ?? "?"})
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : validations.data ? (
        <p className="muted">No findings for this object.</p>
      ) : null}
    </>
  );
}
