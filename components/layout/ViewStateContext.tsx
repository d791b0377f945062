"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { createContext, useCallback, useContext, useMemo, type ReactNode } from "react";
import { parseViewState, writeViewState, type SharedViewState, type ViewDefaults } from "@/lib/urlState";

interface ViewStateValue {
  state: SharedViewState;
  problems: string[];
  defaults: ViewDefaults;
  viewOnly: boolean;
  update: (change: Partial<SharedViewState>) => void;
}

const ViewStateContext = createContext<ViewStateValue | null>(null);

/** Shares the URL's view state (namespaces, window, refresh) and the server's defaults with every page. */
export function ViewStateProvider({ defaults, viewOnly, children }: { defaults: ViewDefaults; viewOnly: boolean; children: ReactNode }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const parsed = useMemo(() => parseViewState(params, defaults), [params, defaults]);

  const update = useCallback(
    (change: Partial<SharedViewState>) => {
      const next = writeViewState(new URLSearchParams(params.toString()), { ...parsed.state, ...change }, defaults);
      const query = next.toString();
      // replace, not push: picking a window is not a navigation the back button should replay.
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [params, parsed.state, defaults, router, pathname],
  );

  const value = useMemo(() => ({ state: parsed.state, problems: parsed.problems, defaults, viewOnly, update }), [parsed, defaults, viewOnly, update]);
  return <ViewStateContext.Provider value={value}>{children}</ViewStateContext.Provider>;
}

export function useViewState(): ViewStateValue {
  const value = useContext(ViewStateContext);
  if (!value) throw new Error("useViewState must be used inside ViewStateProvider");
  return value;
}
