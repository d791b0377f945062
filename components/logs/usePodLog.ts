"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/apiClient";
import { podLogSchema } from "@/lib/api/logs";
import { appendLines, EMPTY_LOG, followSinceSeconds, newLinesOf, type BoundedLog } from "@/lib/logs/logLines";
import { FOLLOW_INTERVAL_MS, MAX_LINES_KEPT, MAX_TAIL_LINES, podLogSearch } from "@/lib/logs/logQuery";
import { queryKeys } from "@/lib/queryKeys";

export interface FollowedLog {
  log: BoundedLog;
  /** Polls whose answer did not reach back to the last line held: lines may be missing there. */
  gaps: number;
  /** The first answer was cut at the byte bound. */
  cutAtBytes: boolean;
  /** The first answer held as many lines as were asked for: older lines exist in the window. */
  atTailLimit: boolean;
  updatedAt: number;
}

/**
 * One container's log as the page holds it. The first answer is the last `tailLines` lines in the
 * window; while following, every FOLLOW_INTERVAL_MS the query asks for the lines since the last one
 * it holds (a little more, then drops what it already has: lib/logs/logLines.ts newLinesOf) and
 * appends them, keeping at most MAX_LINES_KEPT. TanStack Query stops the interval while the tab is
 * hidden (refetchIntervalInBackground is off) and when the view is left.
 */
export function usePodLog(target: { namespace: string; pod: string; container: string } | null, tailLines: number, sinceSeconds: number, follow: boolean) {
  const queryClient = useQueryClient();
  const queryKey = queryKeys.podLog(target?.namespace ?? "", target?.pod ?? "", target?.container ?? "", tailLines, sinceSeconds);
  return useQuery({
    queryKey,
    enabled: target !== null,
    queryFn: async (): Promise<FollowedLog> => {
      if (!target) throw new Error("no container picked");
      const previous = queryClient.getQueryData<FollowedLog>(queryKey);
      const held = previous?.log.lines ?? [];
      const since = held.length ? Math.min(sinceSeconds, followSinceSeconds(held.at(-1)?.timestamp ?? null, Date.now(), sinceSeconds)) : sinceSeconds;
      const path = `/api/pods/${encodeURIComponent(target.namespace)}/${encodeURIComponent(target.pod)}/log?${podLogSearch({ container: target.container, tailLines: previous ? MAX_TAIL_LINES : tailLines, sinceSeconds: since })}`;
      const answer = await fetchJson(path, podLogSchema);
      const { lines, gap } = newLinesOf(held, answer.lines);
      return {
        log: appendLines(previous?.log ?? EMPTY_LOG, lines, MAX_LINES_KEPT),
        gaps: (previous?.gaps ?? 0) + (previous && gap ? 1 : 0),
        cutAtBytes: previous?.cutAtBytes ?? answer.cutAtBytes,
        atTailLimit: previous?.atTailLimit ?? answer.atTailLimit,
        updatedAt: Date.now(),
      };
    },
    refetchInterval: follow ? FOLLOW_INTERVAL_MS : false,
    refetchOnWindowFocus: follow,
    staleTime: Number.POSITIVE_INFINITY,
    // A view that is left starts afresh when it comes back: the lines are not worth keeping in memory.
    gcTime: 0,
    retry: 1,
  });
}
