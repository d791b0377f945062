"use client";

import { useQuery } from "@tanstack/react-query";
import { proxyStatusResponseSchema } from "@/lib/api/proxyStatus";
import { fetchJson } from "@/lib/apiClient";
import { queryKeys } from "@/lib/queryKeys";

/** The server keeps istiod's answer 15 s per person (server/proxyStatus), so refreshing faster gains nothing. */
export const PROXY_STATUS_REFRESH_MS = 15_000;

/** Proxy sync status for `namespaces` (empty = every namespace the person may read). */
export function useProxyStatus(namespaces: readonly string[], enabled = true) {
  return useQuery({
    queryKey: queryKeys.proxyStatus(namespaces),
    queryFn: () => {
      const params = new URLSearchParams();
      if (namespaces.length) params.set("namespaces", namespaces.join(","));
      return fetchJson(`/api/proxy-status?${params}`, proxyStatusResponseSchema);
    },
    refetchInterval: PROXY_STATUS_REFRESH_MS,
    enabled,
  });
}
