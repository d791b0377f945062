/**
 * A container's log as the page holds it: lines with the timestamp Kubernetes adds
 * (`timestamps=true` on `pods/log` prefixes each line with an RFC 3339 time and a space,
 * https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod),
 * merged batch after batch while following, and never more than a bound kept.
 */
import { parseAccessLogLine, type AccessLogEntry } from "./accessLog";

export interface LogLine {
  /** The time Kubernetes recorded for the line, as it wrote it; null when the answer had no prefix. */
  timestamp: string | null;
  text: string;
}

export interface ParsedLogLine extends LogLine {
  /** A number that grows with every line the page adds: React's key, stable while lines are dropped. */
  seq: number;
  accessLog: AccessLogEntry | null;
}

const TIMESTAMP_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (.*)$/s;

/** A `pods/log` answer → lines; a final line without its newline (cut by limitBytes) is kept. */
export function splitLogText(body: string): LogLine[] {
  const rows = body.split("\n");
  if (rows.at(-1) === "") rows.pop();
  return rows.map((row) => {
    const text = row.endsWith("\r") ? row.slice(0, -1) : row;
    const match = TIMESTAMP_PREFIX.exec(text);
    return match ? { timestamp: match[1] as string, text: match[2] as string } : { timestamp: null, text };
  });
}

function sameLine(a: LogLine, b: LogLine): boolean {
  return a.timestamp === b.timestamp && a.text === b.text;
}

/**
 * The lines of `batch` that `previous` does not hold yet. A follow poll asks for a little more than
 * the time since the last line, so the batch starts with lines already shown:
 *   - with timestamps, lines older than the last shown one are dropped, and of those at that very
 *     instant only as many as were already shown (two identical lines in one instant stay two);
 *   - without, the longest run at the end of `previous` that the batch starts with is the overlap.
 * A batch that shares nothing with `previous` is new in full (`gap` says lines may be missing
 * between them: the poll was capped by tailLines or limitBytes).
 */
export function newLinesOf(previous: readonly LogLine[], batch: readonly LogLine[]): { lines: LogLine[]; gap: boolean } {
  const last = previous.at(-1);
  if (!last || batch.length === 0) return { lines: [...batch], gap: false };
  if (last.timestamp !== null && batch.every((line) => line.timestamp !== null)) {
    const lastTime = last.timestamp;
    let shownAtLast = 0;
    for (let index = previous.length - 1; index >= 0 && previous[index]?.timestamp === lastTime; index--) shownAtLast++;
    const lines: LogLine[] = [];
    let skippedAtLast = 0;
    let sawOlderOrEqual = false;
    for (const line of batch) {
      const order = compareTimestamps(line.timestamp as string, lastTime);
      if (order < 0) {
        sawOlderOrEqual = true;
        continue;
      }
      if (order === 0 && skippedAtLast < shownAtLast) {
        sawOlderOrEqual = true;
        skippedAtLast++;
        continue;
      }
      lines.push(line);
    }
    return { lines, gap: !sawOlderOrEqual };
  }
  for (let overlap = Math.min(previous.length, batch.length); overlap > 0; overlap--) {
    if (!sameLine(batch[overlap - 1] as LogLine, last)) continue;
    let matches = true;
    for (let index = 0; index < overlap && matches; index++) matches = sameLine(batch[index] as LogLine, previous[previous.length - overlap + index] as LogLine);
    if (matches) return { lines: batch.slice(overlap), gap: false };
  }
  return { lines: [...batch], gap: true };
}

/** RFC 3339 times compared as instants; nanosecond fractions compare as written (Date keeps milliseconds). */
export function compareTimestamps(a: string, b: string): number {
  if (a === b) return 0;
  const whole = Date.parse(a.replace(/\.\d+/, "")) - Date.parse(b.replace(/\.\d+/, ""));
  if (whole !== 0 && !Number.isNaN(whole)) return whole;
  const fraction = (time: string) => (/\.(\d+)/.exec(time)?.[1] ?? "").padEnd(9, "0");
  return fraction(a) < fraction(b) ? -1 : fraction(a) > fraction(b) ? 1 : 0;
}

export interface BoundedLog {
  lines: ParsedLogLine[];
  /** Lines dropped from the start to stay within the bound, since the view was (re)started. */
  dropped: number;
  nextSeq: number;
}

export const EMPTY_LOG: BoundedLog = { lines: [], dropped: 0, nextSeq: 0 };

/** Adds lines at the end, parsing each once, and drops the oldest beyond `maxLines`. */
export function appendLines(log: BoundedLog, added: readonly LogLine[], maxLines: number): BoundedLog {
  if (added.length === 0) return log;
  let seq = log.nextSeq;
  const parsed = added.map((line) => ({ ...line, seq: seq++, accessLog: parseAccessLogLine(line.text) }));
  const all = [...log.lines, ...parsed];
  const excess = Math.max(0, all.length - maxLines);
  return { lines: excess > 0 ? all.slice(excess) : all, dropped: log.dropped + excess, nextSeq: seq };
}

/** Seconds to ask `sinceSeconds` for so the answer starts a little before `lastTimestamp` (Kubernetes takes whole seconds). */
export function followSinceSeconds(lastTimestamp: string | null, nowMs: number, fallbackSeconds: number, slackSeconds = 2): number {
  if (lastTimestamp === null) return fallbackSeconds;
  const last = Date.parse(lastTimestamp);
  if (Number.isNaN(last)) return fallbackSeconds;
  return Math.max(1, Math.ceil((nowMs - last) / 1000) + slackSeconds);
}

/** Where `query` occurs in `text`, without case: [start, end) ranges for highlighting. */
export function findMatches(text: string, query: string): [number, number][] {
  const needle = query.toLowerCase();
  if (needle === "") return [];
  const haystack = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) ranges.push([at, at + needle.length]);
  return ranges;
}

/** What "download" saves: the loaded lines as Kubernetes gave them, timestamps first when there are any. */
export function logAsText(lines: readonly LogLine[]): string {
  return lines.map((line) => (line.timestamp ? `${line.timestamp} ${line.text}` : line.text)).join("\n") + (lines.length ? "\n" : "");
}
