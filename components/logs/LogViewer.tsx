"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef } from "react";
import { Empty, ErrorBanner, Loading } from "@/components/common/states";
import { useViewState } from "@/components/layout/ViewStateContext";
import { fetchJson } from "@/lib/apiClient";
import { podDetailsSchema, type PodContainer } from "@/lib/api/logs";
import { findMatches, logAsText } from "@/lib/logs/logLines";
import { FOLLOW_INTERVAL_MS, MAX_LINES_KEPT, MAX_LOG_BYTES, MAX_TAIL_LINES } from "@/lib/logs/logQuery";
import { TAIL_CHOICES } from "@/lib/logs/viewState";
import { queryKeys } from "@/lib/queryKeys";
import { durationSeconds, TIME_WINDOWS, windowLabel, type TimeWindow } from "@/lib/timeWindows";
import { LogTable } from "./LogTable";
import styles from "./logs.module.css";
import { useLogViewState } from "./useLogViewState";
import { usePodLog } from "./usePodLog";

const ROLE_LABEL: Record<PodContainer["role"], string> = { app: "app", sidecar: "Envoy sidecar", init: "init" };

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  URL.revokeObjectURL(url);
}

/**
 * A workload's or pod's logs: pick a pod and a container (app or istio-proxy), how far back (the
 * page's window unless another is picked) and how many lines, follow live, search with matches
 * marked, wrap, and download what is loaded. Envoy access-log lines are shown as columns with the
 * response flags explained and linked to the graph. At most MAX_LINES_KEPT lines stay in the page.
 */
export function LogViewer({ namespace, workload, pods }: { namespace: string; workload: string; pods: readonly string[] }) {
  const { state } = useViewState();
  const { view, update } = useLogViewState();
  const pod = view.pod && pods.includes(view.pod) ? view.pod : (pods[0] ?? null);

  const details = useQuery({
    queryKey: queryKeys.podDetails(namespace, pod ?? ""),
    queryFn: () => fetchJson(`/api/pods/${encodeURIComponent(namespace)}/${encodeURIComponent(pod ?? "")}`, podDetailsSchema),
    enabled: pod !== null,
    staleTime: 30_000,
  });
  const containers = details.data?.containers ?? [];
  const container = view.container && containers.some((item) => item.name === view.container) ? view.container : (details.data?.defaultContainer ?? null);

  const window: TimeWindow = view.since ?? state.window;
  const sinceSeconds = durationSeconds(window) ?? 300;
  const target = pod && container ? { namespace, pod, container } : null;
  const log = usePodLog(target, view.tailLines, sinceSeconds, view.follow);
  const lines = useMemo(() => log.data?.log.lines ?? [], [log.data]);
  const matching = useMemo(() => (view.search ? lines.filter((line) => findMatches(line.text, view.search).length > 0).length : 0), [lines, view.search]);

  // Keep the newest lines in sight while following, unless the reader scrolled up to read.
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const element = scroller.current;
    if (element && view.follow && pinned.current) element.scrollTop = element.scrollHeight;
  }, [lines, view.follow]);

  if (pods.length === 0) return <Empty title="No pods, so no logs">The workload has no pods right now.</Empty>;

  const caption = `Log of ${container ?? "…"} in pod ${pod ?? "…"}`;
  const source = { namespace, workload, window: state.window };

  return (
    <div>
      <div className={styles.controls} role="group" aria-label="Log settings">
        <label>
          Pod
          <select value={pod ?? ""} onChange={(event) => update({ pod: event.target.value, container: null })}>
            {pods.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Container
          <select value={container ?? ""} disabled={containers.length === 0} onChange={(event) => update({ container: event.target.value })}>
            {containers.map((item) => (
              <option key={item.name} value={item.name}>
                {item.name} ({ROLE_LABEL[item.role]})
              </option>
            ))}
          </select>
        </label>
        <label>
          Since
          <select value={view.since ?? ""} onChange={(event) => update({ since: (event.target.value || null) as TimeWindow | null })}>
            <option value="">The page&apos;s window ({windowLabel(state.window).toLowerCase()})</option>
            {TIME_WINDOWS.map((option) => (
              <option key={option} value={option}>
                {windowLabel(option)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Last lines
          <select value={view.tailLines} onChange={(event) => update({ tailLines: Number(event.target.value) })}>
            {TAIL_CHOICES.map((count) => (
              <option key={count} value={count}>
                {count.toLocaleString("en-US")}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input type="search" value={view.search} placeholder="text in the lines" onChange={(event) => update({ search: event.target.value })} />
        </label>
        <label className={styles.inline}>
          <input type="checkbox" checked={view.follow} onChange={(event) => update({ follow: event.target.checked })} /> Follow
        </label>
        <label className={styles.inline}>
          <input type="checkbox" checked={view.wrap} onChange={(event) => update({ wrap: event.target.checked })} /> Wrap lines
        </label>
        <button type="button" disabled={lines.length === 0} onClick={() => download(`${pod}-${container}.log`, logAsText(lines))}>
          Download loaded lines
        </button>
        {!view.follow ? (
          <button type="button" disabled={!target || log.isFetching} onClick={() => log.refetch()}>
            Load newer lines
          </button>
        ) : null}
      </div>

      {details.isError ? <ErrorBanner title={`The containers of pod ${namespace}/${pod} could not be read`} error={details.error} onRetry={() => details.refetch()} /> : null}
      {details.isPending && pod ? <Loading what="the pod's containers" /> : null}
      {target && log.isPending ? <Loading what={`the log of ${container}`} /> : null}
      {log.isError && !log.data ? <ErrorBanner title={`The log of ${container} in pod ${namespace}/${pod} could not be read`} error={log.error} onRetry={() => log.refetch()} /> : null}
      {log.isError && log.data ? (
        <div className="state state-stale" role="status">
          Showing the lines already loaded; the latest request failed: {log.error instanceof Error ? log.error.message : String(log.error)}
        </div>
      ) : null}

      {log.data ? (
        <>
          <p className={styles.status} role="status" aria-live="polite">
            {lines.length.toLocaleString("en-US")} line{lines.length === 1 ? "" : "s"} of {container} in the {windowLabel(window).toLowerCase()}
            {view.search ? `, ${matching.toLocaleString("en-US")} matching “${view.search}”` : ""}.{" "}
            {view.follow ? `Following: new lines every ${FOLLOW_INTERVAL_MS / 1000} s (paused while this tab is hidden), last at ${new Date(log.data.updatedAt).toISOString().slice(11, 19)} UTC.` : "Not following."}
            {log.data.atTailLimit ? ` Only the last ${view.tailLines.toLocaleString("en-US")} lines were asked for; older lines in the window are not shown.` : ""}
            {log.data.cutAtBytes ? ` The answer stopped at ${MAX_LOG_BYTES / 1024 / 1024} MiB; ask for fewer lines to see the newest.` : ""}
            {log.data.log.dropped ? ` ${log.data.log.dropped.toLocaleString("en-US")} older lines were dropped to keep at most ${MAX_LINES_KEPT.toLocaleString("en-US")} in the page.` : ""}
            {log.data.gaps ? ` Lines came faster than ${MAX_TAIL_LINES.toLocaleString("en-US")} per ${FOLLOW_INTERVAL_MS / 1000} s ${log.data.gaps} time${log.data.gaps === 1 ? "" : "s"}; some may be missing.` : ""}
          </p>
          {lines.length === 0 ? (
            <Empty title={`No lines from ${container} in the ${windowLabel(window).toLowerCase()}`}>{view.follow ? "New lines appear here as they are written." : "Turn on Follow to watch for new lines, or pick a longer window."}</Empty>
          ) : (
            <div
              ref={scroller}
              className={styles.scroller}
              tabIndex={0}
              role="region"
              aria-label={caption}
              onScroll={(event) => {
                const element = event.currentTarget;
                pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
              }}
            >
              <LogTable lines={lines} search={view.search} wrap={view.wrap} source={source} caption={caption} />
            </div>
          )}
        </>
      ) : null}
    </div>
  );
}
