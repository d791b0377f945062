/**
 * Many browsers watching the same graph send the same queries every few seconds. Identical queries
 * in flight share one request, and an answer is reused for `ttlMs` (documented in the README), so
 * the load on Prometheus does not grow with the number of viewers.
 */
import type { PrometheusClient } from "./client";

interface Entry<T> {
  promise: Promise<T>;
  settledAt?: number;
}

export interface SharedPrometheusClient extends PrometheusClient {
  /** Answers held for reuse or in flight: what this sharing costs in memory. */
  heldAnswers(): number;
}

export function shareQueries(client: PrometheusClient, ttlMs: number, now: () => number = Date.now): SharedPrometheusClient {
  const entries = new Map<string, Entry<unknown>>();

  function shared<T>(key: string, call: () => Promise<T>): Promise<T> {
    const existing = entries.get(key) as Entry<T> | undefined;
    if (existing && (existing.settledAt === undefined || now() - existing.settledAt < ttlMs)) return existing.promise;

    const entry: Entry<T> = { promise: call() };
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
