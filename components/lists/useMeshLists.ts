"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/apiClient";
import { appListSchema, istioConfigListSchema, serviceListSchema, workloadListSchema } from "@/lib/mesh";
import { trafficSummaryListSchema, type TrafficSummaryItem } from "@/lib/signals/types";
import { queryKeys } from "@/lib/queryKeys";
import { useRefreshInterval } from "@/components/layout/useRefreshInterval";
import { useViewState } from "@/components/layout/ViewStateContext";

function namespaceQuery(namespaces: readonly string[]): string {
  return namespaces.length ? `?namespaces=${encodeURIComponent(namespaces.join(","))}` : "";
}

export function useApps() {
  const { state } = useViewState();
  return useQuery({
    queryKey: queryKeys.apps(state.namespaces),
    queryFn: () => fetchJson(`/api/apps${namespaceQuery(state.namespaces)}`, appListSchema),
    refetchInterval: useRefreshInterval(),
  });
}

/** Inbound traffic per object of a kind over the URL's window, keyed "namespace/name". */
export function useTraffic(kind: "service" | "workload" | "app") {
  const { state } = useViewState();
  const query = useQuery({
    queryKey: queryKeys.traffic(kind, state.namespaces, state.window),
    queryFn: () => {
      const params = new URLSearchParams({ kind, window: state.window });
      if (state.namespaces.length) params.set("namespaces", state.namespaces.join(","));
      return fetchJson(`/api/traffic?${params}`, trafficSummaryListSchema);
    },
    refetchInterval: useRefreshInterval(),
  });
  const byKey = new Map<string, TrafficSummaryItem>((query.data?.items ?? []).map((item) => [`${item.namespace}/${item.name}`, item]));
  return { query, byKey };
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
