"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorBanner, Loading } from "@/components/common/states";
import { formatMilliseconds, formatPercent, formatRate } from "@/lib/format";
import { queryKeys } from "@/lib/queryKeys";
import { CANARY_THRESHOLDS, canaryVerdict } from "@/lib/routing/canary";
import { fetchCanaryAnalysis } from "./routingApi";
import styles from "./wizards.module.css";

/** Short enough that the observed split follows a change within a minute, long enough for a few scrapes. */
const WINDOW_SECONDS = 30;
const POLL_MS = 3_000;
const VERDICT_CLASS = { healthy: styles.verdictHealthy, unhealthy: styles.verdictUnhealthy, "no-data": styles.verdictNoData } as const;

/**
 * Each version's golden signals side by side, the canary judged against the stable version, and
 * the configured weights beside the observed share of requests so the two can be seen converging.
 */
export function CanaryPanel({
  namespace,
  service,
  configured,
  canary,
  stable,
  backends = [],
  routedBy = "VirtualService",
  behindWaypoint = false,
}: {
  namespace: string;
  service: string;
  configured: Record<string, number> | null;
  canary: string;
  stable: string;
  backends?: readonly string[];
  routedBy?: string;
  /** An ambient service behind a waypoint: the signals are the waypoint's reports. */
  behindWaypoint?: boolean;
}) {
  const analysis = useQuery({
    queryKey: [...queryKeys.canaryAnalysis(namespace, service, WINDOW_SECONDS), ...backends, behindWaypoint],
    queryFn: () => fetchCanaryAnalysis(namespace, service, WINDOW_SECONDS, backends, behindWaypoint),
    refetchInterval: POLL_MS,
  });
  const versions = analysis.data?.versions ?? [];
  const find = (version: string) => versions.find((entry) => entry.version === version);
  const verdict = canaryVerdict(find(canary), find(stable), canary, stable);
  const exceeded = new Set(verdict.findings.filter((finding) => finding.exceeded).map((finding) => finding.signal));
  const names = [...new Set([...Object.keys(configured ?? {}), ...versions.map((entry) => entry.version)])].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));

  return (
    <section aria-label="Canary analysis">
      <h4>Canary analysis (last {WINDOW_SECONDS} s)</h4>
      {behindWaypoint ? <p className="muted">Ambient mode: each version&apos;s signals are the waypoint&apos;s reports of the requests it routed.</p> : null}
      {analysis.isPending ? <Loading what="per-version signals" /> : null}
      {analysis.isError ? <ErrorBanner title="Per-version signals could not be read" error={analysis.error} onRetry={() => analysis.refetch()} /> : null}
      <p role="status" className={VERDICT_CLASS[verdict.status]}>
        {canary === stable ? "Choose a canary other than the stable version" : verdict.message}
      </p>
      <table className="list" aria-label="Signals per version">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Configured</th>
            <th scope="col">Observed</th>
            <th scope="col">Requests</th>
            <th scope="col">Errors</th>
            <th scope="col">p95</th>
            <th scope="col">p99</th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => {
            const signals = find(name);
            const isCanary = name === canary && canary !== stable;
            return (
              <tr key={name} data-version={name}>
                <th scope="row">
                  {name}
                  {isCanary ? " (canary)" : name === stable ? " (stable)" : ""}
                </th>
                <td data-column="configured">{configured ? `${configured[name] ?? 0} %` : "—"}</td>
                <td data-column="observed">{signals ? formatPercent(signals.share * 100) : "0 %"}</td>
                <td>{formatRate(signals?.requestRate)}</td>
                <td className={isCanary && exceeded.has("errorRate") ? styles.exceeded : undefined}>{signals?.errorRate === null || !signals ? "—" : formatPercent(signals.errorRate * 100)}</td>
                <td className={isCanary && exceeded.has("p95") ? styles.exceeded : undefined}>{formatMilliseconds(signals?.p95Ms)}</td>
                <td>{formatMilliseconds(signals?.p99Ms)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">
        The canary is held when its error rate is more than {CANARY_THRESHOLDS.errorRatePoints * 100} percentage point above the stable version&apos;s, or its p95 latency more than {CANARY_THRESHOLDS.latencyIncrease * 100} % above it (and by at least {CANARY_THRESHOLDS.latencyFloorMs} ms).
        {configured ? null : ` No ${routedBy} splits this service yet: requests spread over every version's pods.`}
      </p>
    </section>
  );
}
