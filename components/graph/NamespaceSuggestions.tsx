"use client";

import { useQuery } from "@tanstack/react-query";
import { Empty } from "@/components/common/states";
import { useViewState } from "@/components/layout/ViewStateContext";
import { fetchJson } from "@/lib/apiClient";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import { namespaceListSchema } from "@/lib/mesh";
import { queryKeys } from "@/lib/queryKeys";
import styles from "./graph.module.css";

/** Control-plane and system namespaces are rarely what someone wants to see first. */
const SYSTEM_NAMESPACE = new RegExp(`^(kube-|${MESH_ROOT_NAMESPACE}$|default$)`);

export function NamespaceSuggestions() {
  const { update } = useViewState();
  const namespaces = useQuery({ queryKey: queryKeys.namespaces(), queryFn: () => fetchJson("/api/namespaces", namespaceListSchema) });
  const suggested = (namespaces.data?.namespaces ?? [])
    .filter((namespace) => !SYSTEM_NAMESPACE.test(namespace.name))
    .sort((a, b) => Number(b.injection.mode !== "disabled") - Number(a.injection.mode !== "disabled") || a.name.localeCompare(b.name))
    .slice(0, 8);
  return (
    <Empty title="Pick the namespaces to draw">
      The graph shows the traffic of the namespaces chosen in the toolbar.
      {suggested.length > 0 ? (
        <div className={styles.suggestions}>
          {suggested.map((namespace) => (
            <button key={namespace.name} type="button" onClick={() => update({ namespaces: [namespace.name] })}>
              Show {namespace.name}
            </button>
          ))}
        </div>
      ) : null}
    </Empty>
  );
}
