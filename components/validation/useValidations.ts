"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { z } from "zod";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";
import { fetchJson } from "@/lib/apiClient";
import { queryKeys } from "@/lib/queryKeys";
import { findingListSchema, severitySchema } from "@/lib/validation/finding";
import { indexFindings } from "./findingIndex";

export const validationReportSchema = z.object({
  findings: findingListSchema,
  counts: z.record(severitySchema, z.number()),
  computedAt: z.string(),
});

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
