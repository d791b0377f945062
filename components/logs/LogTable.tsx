"use client";

import Link from "next/link";
import { memo, type ReactNode } from "react";
import { formatMilliseconds } from "@/lib/format";
import type { AccessLogEntry } from "@/lib/logs/accessLog";
import { graphLinkForEntry } from "@/lib/logs/graphLink";
import type { ParsedLogLine } from "@/lib/logs/logLines";
import { findMatches } from "@/lib/logs/logLines";
import { describeResponseFlag, responseFlag } from "@/lib/logs/responseFlags";
import styles from "./logs.module.css";

export interface LogSource {
  namespace: string;
  workload: string;
  window: string;
}

/** `text` with every match of `search` marked. */
export function Highlighted({ text, search }: { text: string | null; search: string }): ReactNode {
  if (text === null) return "—";
  const ranges = findMatches(text, search);
  if (ranges.length === 0) return text;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark key={start} className={styles.match}>
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/** `2026-12-07T03:10:11.123456789Z` → `03:10:11.123`, the full time in the tooltip. */
function shortTime(time: string | null): ReactNode {
  if (!time) return "—";
  const match = /T(\d{2}:\d{2}:\d{2})(\.\d{1,3})?/.exec(time);
  return <time dateTime={time} title={time}>{match ? `${match[1]}${match[2] ?? ""}` : time}</time>;
}

function codeClass(code: number | null): string | undefined {
  if (code === null) return undefined;
  if (code === 0 || code >= 500) return styles.code5xx;
  if (code >= 400) return styles.code4xx;
  return undefined;
}

function FlagLinks({ entry, source }: { entry: AccessLogEntry; source: LogSource }) {
  if (entry.responseFlags.length === 0) return "—";
  const href = graphLinkForEntry(entry, source, source.window);
  return entry.responseFlags.map((code) => {
    const flag = responseFlag(code);
    return (
      <Link key={code} href={href} className={styles.flag} data-flag={code} aria-label={`${describeResponseFlag(code)} Show this edge on the graph.`}>
        <abbr title={flag ? `${flag.name}: ${flag.meaning} ${flag.edge}` : describeResponseFlag(code)}>{code}</abbr>
      </Link>
    );
  });
}

function upstreamText(entry: AccessLogEntry): string | null {
  const cluster = entry.upstreamCluster;
  const name = cluster?.service ? `${cluster.direction} ${cluster.service.name}.${cluster.service.namespace}${cluster.subset ? ` (${cluster.subset})` : ""}${cluster.port ? `:${cluster.port}` : ""}` : entry.upstreamClusterName;
  if (name === null && entry.upstreamHost === null) return null;
  return [name, entry.upstreamHost ? `→ ${entry.upstreamHost}` : null].filter(Boolean).join(" ");
}

const Row = memo(function Row({ line, search, source }: { line: ParsedLogLine; search: string; source: LogSource }) {
  const entry = line.accessLog;
  if (!entry) {
    return (
      <tr data-kind="text">
        <td className={styles.time}>{shortTime(line.timestamp)}</td>
        <td colSpan={6}>
          <Highlighted text={line.text} search={search} />
        </td>
      </tr>
    );
  }
  return (
    <tr data-kind="access" data-code={entry.responseCode ?? ""} data-flags={entry.responseFlags.join(",")} className={entry.responseFlags.length ? styles.flagged : undefined}>
      <td className={styles.time}>{shortTime(entry.startTime ?? line.timestamp)}</td>
      <td>
        <Highlighted text={entry.method} search={search} />{" "}
        <Highlighted text={entry.path} search={search} />
      </td>
      <td className={codeClass(entry.responseCode)} data-column="code">
        {entry.responseCode === null ? "—" : <Highlighted text={String(entry.responseCode)} search={search} />}
      </td>
      <td data-column="flags">
        <FlagLinks entry={entry} source={source} />
      </td>
      <td>
        <Highlighted text={upstreamText(entry)} search={search} />
      </td>
      <td className="number">{formatMilliseconds(entry.durationMs)}</td>
      <td>
        <Highlighted text={entry.responseCodeDetails} search={search} />
      </td>
    </tr>
  );
});

/** Every flag that occurs in `lines`, once, for the legend under the table. */
function flagsIn(lines: readonly ParsedLogLine[]): string[] {
  const codes = new Set<string>();
  for (const line of lines) for (const code of line.accessLog?.responseFlags ?? []) codes.add(code);
  return [...codes].sort();
}

export function LogTable({ lines, search, wrap, source, caption }: { lines: readonly ParsedLogLine[]; search: string; wrap: boolean; source: LogSource; caption: string }) {
  const flags = flagsIn(lines);
  return (
    <>
      <table className={`${styles.table} ${wrap ? styles.wrap : styles.nowrap}`} aria-label={caption}>
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Request or line</th>
            <th scope="col">Code</th>
            <th scope="col">Flags</th>
            <th scope="col">Upstream cluster and host</th>
            <th scope="col" className="number">
              Duration
            </th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <Row key={line.seq} line={line} search={search} source={source} />
          ))}
        </tbody>
      </table>
      {flags.length ? (
        <dl className={styles.legend} aria-label="Response flags in these lines">
          {flags.map((code) => {
            const flag = responseFlag(code);
            return (
              <div key={code} data-flag={code}>
                <dt>
                  {code}
                  {flag ? ` (${flag.name})` : ""}
                </dt>
                <dd>{flag ? `${flag.meaning} ${flag.edge}` : describeResponseFlag(code)}</dd>
              </div>
            );
          })}
        </dl>
      ) : null}
    </>
  );
}
