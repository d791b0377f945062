"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseListQuery, type ListQuery } from "@/lib/listQuery";

const PARAM_OF: Record<keyof ListQuery, string> = { sort: "sort", order: "order", text: "q", label: "label", health: "health" };
const DEFAULTS: ListQuery = { sort: "name", order: "asc", text: "", label: "", health: "" };

/** A list's sort and filters, read from and written to the URL so the exact view can be shared. */
export function useListQuery(): [ListQuery, (change: Partial<ListQuery>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const query = useMemo(() => parseListQuery(params), [params]);
  const update = useCallback(
    (change: Partial<ListQuery>) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries({ ...query, ...change }) as [keyof ListQuery, string][]) {
        if (value === DEFAULTS[key]) next.delete(PARAM_OF[key]);
        else next.set(PARAM_OF[key], value);
      }
      const search = next.toString();
      router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
    },
    [params, query, router, pathname],
  );
  return [query, update];
}
