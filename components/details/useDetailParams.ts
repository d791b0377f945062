"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

export type Direction = "inbound" | "outbound";

/** The detail page's own URL state: traffic direction and the by-version split. */
export function useDetailParams(allowOutbound: boolean) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const direction: Direction = allowOutbound && params.get("direction") === "outbound" ? "outbound" : "inbound";
  const byVersion = params.get("byVersion") === "true";
  const update = useCallback(
    (change: { direction?: Direction; byVersion?: boolean }) => {
      const next = new URLSearchParams(params.toString());
      if (change.direction !== undefined) {
        if (change.direction === "inbound") next.delete("direction");
        else next.set("direction", change.direction);
      }
      if (change.byVersion !== undefined) {
        if (change.byVersion) next.set("byVersion", "true");
        else next.delete("byVersion");
      }
      router.replace(`${pathname}?${next}`, { scroll: false });
    },
    [params, router, pathname],
  );
  return { direction, byVersion, update };
}
