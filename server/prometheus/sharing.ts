/**
 * Many browsers watching the same graph send the same queries every few seconds. Identical queries
 * in flight share one request, and an answer is reused for `ttlMs` (documented in the README), so
 * the load on Prometheus does not grow with the number of viewers.
 *
 * The key is the query text, which people choose (namespaces, windows, a graph's time), so the
 * answers held are capped: past MAX_HELD_ANSWERS the oldest finished ones go first, and when every
 * held answer is still in flight a new query runs unshared rather than grow the map. Queries in
 * flight are bounded by the limit on expensive reads (server/http/readLimits.ts).
 */
import type { PrometheusClient } from "./client";

interface Entry<T> {
  promise: Promise<T>;
  settledAt?: number;
}

/**
 * Answers held at most. The graph asks about a dozen queries per namespace selection and window, so
 * this covers a few dozen different graphs and charts within one TTL; at scale one answer can hold
 * thousands of series, so a flood of distinct queries must not keep more.
 */
export const MAX_HELD_ANSWERS = 256;

export interface SharedPrometheusClient extends PrometheusClient {
  /** Answers held for reuse or in flight: what this sharing costs in memory. */
  heldAnswers(): number;
}

export function shareQueries(client: PrometheusClient, ttlMs: number, now: () => number = Date.now, maxHeldAnswers: number = MAX_HELD_ANSWERS): SharedPrometheusClient {
  const entries = new Map<string, Entry<unknown>>();

  function shared<T>(key: string, call: () => Promise<T>): Promise<T> {
    const existing = entries.get(key) as Entry<T> | undefined;
    if (existing && (existing.settledAt === undefined || now() - existing.settledAt < ttlMs)) return existing.promise;

    if (!existing && !makeRoom()) return call();
    const entry: Entry<T> = { promise: call() };
    // Re-inserted, so that map order stays the order queries were asked in.
    entries.delete(key);
    entries.set(key, entry);
    entry.promise.then(
      () => {
        entry.settledAt = now();
        // At scale one answer holds thousands of series: an expired one must go now, not when the map is large.
        evictExpired();
      },
      // A failure is not cached: the next viewer asks again.
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return entry.promise;
  }

  /** True when the map has room for one more answer, after dropping expired and then the oldest finished ones. */
  function makeRoom(): boolean {
    if (entries.size < maxHeldAnswers) return true;
    evictExpired();
    // Map order is the order queries were asked in: the first finished answers are the oldest.
    for (const [key, entry] of entries) {
      if (entries.size < maxHeldAnswers) break;
      if (entry.settledAt !== undefined) entries.delete(key);
    }
    return entries.size < maxHeldAnswers;
  }

  function evictExpired(): void {
    const current = now();
    for (const [key, entry] of entries) {
      if (entry.settledAt !== undefined && current - entry.settledAt >= ttlMs) entries.delete(key);
    }
  }

  return {
    heldAnswers: () => entries.size,
    baseUrl: client.baseUrl,
    instant: (query, time) => shared(`i|${time ?? ""}|${query}`, () => client.instant(query, time)),
    queryData: (query, time) => shared(`d|${time ?? ""}|${query}`, () => client.queryData(query, time)),
    range: (query, options) => shared(`r|${options.start}|${options.end}|${options.stepSeconds}|${query}`, () => client.range(query, options)),
  };
}
