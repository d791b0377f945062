"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/apiClient";
import { istioConfigListSchema, serviceListSchema, workloadListSchema } from "@/lib/mesh";
import { queryKeys } from "@/lib/queryKeys";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";

function namespaceQuery(namespaces: readonly string[]): string {
  return namespaces.length ? `?namespaces=${encodeURIComponent(namespaces.join(","))}` : "";
}

export function useServices() {
  const { state } = useViewState();
  return useQuery({
    queryKey: queryKeys.services(state.namespaces),
    queryFn: () => fetchJson(`/api/services${namespaceQuery(state.namespaces)}`, serviceListSchema),
    refetchInterval: useRefreshInterval(),
  });
}

export function useWorkloads() {
  const { state } = useViewState();
  return useQuery({
    queryKey: queryKeys.workloads(state.namespaces),
    queryFn: () => fetchJson(`/api/workloads${namespaceQuery(state.namespaces)}`, workloadListSchema),
    refetchInterval: useRefreshInterval(),
  });
}

export function useIstioConfig() {
  const { state } = useViewState();
  return useQuery({
    queryKey: queryKeys.istioConfig(state.namespaces),
    queryFn: () => fetchJson(`/api/istio-config${namespaceQuery(state.namespaces)}`, istioConfigListSchema),
    refetchInterval: useRefreshInterval(),
  });
}
