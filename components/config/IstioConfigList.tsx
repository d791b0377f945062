"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { Empty, ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { useViewState } from "@/components/layout/ViewStateContext";
import { useIstioConfig } from "@/components/lists/useMeshLists";
import { ValidationBadge } from "@/components/validation/ValidationBadge";
import { useValidations } from "@/components/validation/useValidations";
import styles from "./config.module.css";
import { filterConfigRows, parseConfigFilters, STATUS_FILTERS, writeConfigFilters, type ConfigFilters } from "./configFilters";
import { IstioKindOptions } from "./IstioKindOptions";
import { kindLabel, namespaceSegment } from "@/lib/istioKinds";

const STATUS_LABEL = { error: "Errors", warning: "Warnings", info: "Info", valid: "Valid" } as const;

/** "3d", "5h", "12m": how long ago, as kubectl shows ages. */
export function formatAge(createdAt: string | null, now: number): string {
  if (!createdAt) return "—";
  const seconds = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function useConfigFilters(): [ConfigFilters, (change: Partial<ConfigFilters>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo(() => parseConfigFilters(params), [params]);
  const update = (change: Partial<ConfigFilters>) => {
    const search = writeConfigFilters(new URLSearchParams(params.toString()), { ...filters, ...change }).toString();
    router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
  };
  return [filters, update];
}

export function IstioConfigList() {
  const config = useIstioConfig();
  const { query: validations, index } = useValidations();
  const { viewOnly, state } = useViewState();
  const [filters, update] = useConfigFilters();
  if (config.isPending) return <Loading what="Istio config" />;
  if (config.isError && !config.data) return <ErrorBanner title="Istio config could not be listed" error={config.error} onRetry={() => config.refetch()} />;
  const known = validations.data !== undefined;
  const rows = (config.data?.objects ?? []).map((object) => ({ ...object, status: known ? index.statusOf(object.kind, object.namespace, object.name) : null }));
  const shown = filterConfigRows(rows, filters);
  // Ages as of the list's fetch, so rendering stays pure.
  const now = config.dataUpdatedAt;
  const createIn = state.namespaces.length === 1 ? state.namespaces[0] : undefined;
  return (
    <>
      {config.isError ? <StaleBanner error={config.error} /> : null}
      {validations.isError ? <StaleBanner error={validations.error} /> : null}
      <div className="list-controls" role="search" aria-label="Filter Istio config">
        <label>
          Kind
          <select value={filters.kind} onChange={(event) => update({ kind: event.target.value as ConfigFilters["kind"] })}>
            <option value="">Any</option>
            <IstioKindOptions />
          </select>
        </label>
        <label>
          Name contains
          <input value={filters.text} onChange={(event) => update({ text: event.target.value })} placeholder="e.g. catalog" />
        </label>
        <label>
          Status
          <select value={filters.status} onChange={(event) => update({ status: event.target.value as ConfigFilters["status"] })}>
            <option value="">Any</option>
            {STATUS_FILTERS.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABEL[status]}
              </option>
            ))}
          </select>
        </label>
        {viewOnly ? null : (
          <Link className={styles.actionLink} href={`/istio/new?kind=${filters.kind || "VirtualService"}${createIn ? `&namespace=${createIn}` : ""}`}>
            Create…
          </Link>
        )}
      </div>
      <p className="list-count" role="status">
        {shown.length} of {rows.length} objects{known ? "" : " (validation status loading)"}
      </p>
      {config.data?.unservedKinds?.length ? (
        <p className="muted" data-testid="config-unserved-kinds">
          Not served by this cluster (their CRDs are not installed): {config.data.unservedKinds.map(kindLabel).join(", ")}.
        </p>
      ) : null}
      {rows.length === 0 ? (
        <Empty title="No Istio config in the selected namespaces" />
      ) : (
        <table className="list" aria-label="Istio config">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Namespace</th>
              <th scope="col">Name</th>
              <th scope="col">Age</th>
              <th scope="col">Status</th>
              <th scope="col">Controller status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((object) => (
              <tr key={`${object.kind}/${object.namespace}/${object.name}`} data-testid={`config-${object.namespace}-${object.kind}-${object.name}`}>
                <td>{kindLabel(object.kind)}</td>
                <td>{object.namespace || <span className="muted">cluster-scoped</span>}</td>
                <td>
                  <Link href={`/istio/${namespaceSegment(object.namespace)}/${object.kind}/${object.name}`}>{object.name}</Link>
                </td>
                <td title={object.createdAt ?? undefined}>{formatAge(object.createdAt, now)}</td>
                <td>
                  <ValidationBadge status={object.status ?? "valid"} loading={object.status === null} count={index.of(object.kind, object.namespace, object.name).length} />
                </td>
                <td data-testid="config-reported-status" className={object.reported?.state === "problem" ? styles.conditionProblem : undefined}>
                  {object.reported ? object.reported.summary : <span className="muted">—</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
