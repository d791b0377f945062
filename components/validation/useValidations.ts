"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";
import { validationReportSchema } from "@/lib/api/validations";
import { fetchJson } from "@/lib/apiClient";
import { queryKeys } from "@/lib/queryKeys";
import { indexFindings } from "./findingIndex";

/**
 * The live findings of the URL's namespaces (or the ones given), refreshed with the shared refresh
 * interval. `index` answers per object (`index.statusOf("Service", ns, name)`, `index.of(...)`)
 * and per namespace (`index.countsIn(ns)`); it is empty until the first answer.
 */
export function useValidations(namespaces?: readonly string[]) {
  const { state } = useViewState();
  const selected = namespaces ?? state.namespaces;
  const query = useQuery({
    queryKey: queryKeys.validations(selected),
    queryFn: () => fetchJson(`/api/validations${selected.length ? `?namespaces=${encodeURIComponent([...selected].sort().join(","))}` : ""}`, validationReportSchema),
    refetchInterval: useRefreshInterval(),
  });
  const index = useMemo(() => indexFindings(query.data?.findings ?? []), [query.data]);
  return { query, index };
}
