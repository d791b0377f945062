"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { readLogViewState, writeLogViewState, type LogViewState } from "@/lib/logs/viewState";

/** The log viewer's state in the URL (lib/logs/viewState.ts), so a view of a log can be shared. */
export function useLogViewState(): { view: LogViewState; update: (change: Partial<LogViewState>) => void } {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const view = useMemo(() => readLogViewState(params), [params]);
  const update = useCallback(
    (change: Partial<LogViewState>) => {
      const next = writeLogViewState(new URLSearchParams(params.toString()), { ...view, ...change });
      const query = next.toString();
      // replace: a picker change is not a navigation the back button should replay.
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [params, view, router, pathname],
  );
  return { view, update };
}
