"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { readGraphPageState, writeGraphPageState, type GraphPageState } from "@/lib/graph/pageState";

/** The graph page's own URL parameters; the shared ones (namespaces, window, refresh) are kept as they are. */
export function useGraphPageState(): [GraphPageState, (change: Partial<GraphPageState>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo(() => readGraphPageState(params), [params]);
  const update = useCallback(
    (change: Partial<GraphPageState>) => {
      const next = writeGraphPageState(new URLSearchParams(params.toString()), { ...state, ...change }).toString();
      router.replace(next ? `${pathname}?${next}` : pathname, { scroll: false });
    },
    [params, state, router, pathname],
  );
  return [state, update];
}
