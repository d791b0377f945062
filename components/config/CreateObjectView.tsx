"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Empty } from "@/components/common/states";
import { useViewState } from "@/components/layout/ViewStateContext";
import { CLUSTER_SCOPE_SEGMENT, istioKindInfo, type IstioKind } from "@/lib/istioKinds";
import { queryKeys } from "@/lib/queryKeys";
import { isDns1123Label } from "@/lib/kubeNames";
import { ChangeOutcome, refusedLines, toOutcome, type Outcome } from "./ChangeOutcome";
import { createObject } from "./configApi";
import styles from "./config.module.css";
import { templateYaml } from "./templates";
import { YamlEditor } from "./YamlView";
import { IstioKindOptions } from "./IstioKindOptions";

/** A new Istio object from a template of its kind: Check sends a dry run, Create stores it. */
export function CreateObjectView({ initialKind, initialNamespace }: { initialKind: IstioKind; initialNamespace: string }) {
  const { viewOnly } = useViewState();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<IstioKind>(initialKind);
  const [namespace, setNamespace] = useState(initialNamespace);
  const [draft, setDraft] = useState(() => templateYaml(initialKind, initialNamespace || "default"));
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [busy, setBusy] = useState(false);
  if (viewOnly) return <Empty title="The console runs in view-only mode">Creating Istio config is turned off.</Empty>;
  const clusterScoped = !istioKindInfo(kind).namespaced;
  // A cluster-scoped object is created at `_cluster`, the segment that stands for "no namespace".
  const namespaceValid = clusterScoped || isDns1123Label(namespace);
  const target = clusterScoped ? CLUSTER_SCOPE_SEGMENT : namespace;

  async function submit(dryRun: boolean) {
    setBusy(true);
    try {
      const result = await createObject({ namespace: target, kind }, draft, dryRun);
      if (dryRun) {
        setOutcome({ kind: "ok", message: "The object fits the Istio schema and the API server accepts it (dry run: nothing was created)." });
      } else {
        await queryClient.invalidateQueries({ queryKey: queryKeys.allIstioConfig() });
        router.push(`/istio/${target}/${kind}/${result.object.metadata.name ?? ""}`);
      }
    } catch (error) {
      setOutcome(toOutcome(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <div className={styles.fields}>
        <label>
          Kind
          <select
            value={kind}
            onChange={(event) => {
              const next = event.target.value as IstioKind;
              setKind(next);
              setDraft(templateYaml(next, namespace || "default"));
              setOutcome(undefined);
            }}
          >
            <IstioKindOptions />
          </select>
        </label>
        <label>
          Namespace
          <input
            value={clusterScoped ? "" : namespace}
            disabled={clusterScoped}
            onChange={(event) => setNamespace(event.target.value.trim())}
            aria-invalid={!namespaceValid}
            placeholder={clusterScoped ? "cluster-scoped" : "e.g. mesh-lab"}
          />
        </label>
      </div>
      <div className={styles.toolbar}>
        <button type="button" onClick={() => submit(true)} disabled={busy || !namespaceValid}>
          Check
        </button>
        <button type="button" className={styles.primary} onClick={() => submit(false)} disabled={busy || !namespaceValid}>
          Create
        </button>
        {namespaceValid ? null : <span className="muted">Enter the namespace to create the object in.</span>}
      </div>
      {outcome ? <ChangeOutcome outcome={outcome} draft={draft} /> : null}
      <YamlEditor label={`New ${kind}`} value={draft} onChange={setDraft} marked={refusedLines(outcome, draft)} />
    </>
  );
}
