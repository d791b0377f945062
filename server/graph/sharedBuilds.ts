/**
 * Everyone watching the same live graph gets the same answer: a request joins a build of the same
 * graph already in flight, and a finished build is served to everyone until GRAPH_REUSE_MS after
 * it STARTED (documented in the README). Counting from the start, not the finish, is what makes one
 * viewer refreshing every 5 s cost the same as fifty viewers spread over those 5 s: the lone viewer
 * always finds the previous graph expired and gets a new one, as it would with no sharing, while
 * the fifty share one build per interval. The reuse time is a little shorter than the 5 s refresh,
 * so a browser timer firing a few milliseconds early still gets a new graph. With one build at a
 * time, a slow Prometheus is never asked the same thing twice at once.
 *
 * The answer is kept serialized as UTF-8 bytes, because at thousands of edges serializing and
 * encoding it for every viewer costs more memory and time than building it once (see
 * sharedBodyResponse for how it is sent without a copy per viewer), and compressed at most once for
 * the browsers that take it as a gzip file (lib/gzippedJson.ts). Access is checked
 * before a request gets here: a build uses only data that is the same for every person
 * (Prometheus and the console's own caches), so sharing it across people leaks nothing.
 *
 * The key is what people ask for (namespaces, window, time), so the map is capped at maxEntries,
 * builds in flight included: past it the oldest finished graphs go first, and when every entry is
 * a build still in flight a new graph is built unshared rather than grow the map. Builds in flight
 * are bounded by the limit on expensive reads (server/http/readLimits.ts).
 */
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { EVALUATION_STEP_SECONDS } from "./evaluationStep";
import type { GraphRequest } from "./request";

/** How long after its build started a graph is served to others: the page's shortest refresh, less a margin for timer jitter. */
export const GRAPH_REUSE_MS = EVALUATION_STEP_SECONDS * 1000 - 250;

export interface SharedGraph {
  /** The graph as UTF-8 JSON, encoded once and sent as it is to every viewer. */
  body: Uint8Array;
  /** The same bytes gzipped, compressed on first use and then shared like the body. */
  gzipped: () => Promise<Uint8Array>;
  /** When the build that made it started, in milliseconds. */
  startedAt: number;
}

interface Entry {
  build: Promise<SharedGraph>;
  startedAt: number;
  finished: boolean;
}

/** Same key for requests that must get the same graph; a fixed queryTime is a different graph from the live one. */
export function graphKey(request: GraphRequest): string {
  return JSON.stringify([
    [...request.namespaces].sort(),
    request.graphType,
    request.rateWindowSeconds,
    request.queryTime ?? "live",
    [...request.appenders].sort(),
    [...request.latencyQuantiles].sort(),
    request.idleNodes,
  ]);
}

const gzipBytes: (body: Uint8Array) => Promise<Uint8Array> = promisify(gzip);

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export interface SharedBuildOptions {
  /** A finished graph is served to other requests until this long after its build started. */
  reuseMs: number;
  now?: () => number;
  /** Graphs held at most, finished or in flight; the oldest finished go first. */
  maxEntries?: number;
}

export function shareGraphBuilds(build: (request: GraphRequest) => Promise<unknown>, options: SharedBuildOptions): (request: GraphRequest) => Promise<SharedGraph> {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 50;
  const entries = new Map<string, Entry>();
  const stillServed = (entry: Entry) => !entry.finished || now() - entry.startedAt < options.reuseMs;

  /** Drops what is no longer served, then the oldest finished graphs until at most `keep` are held. */
  function forget(keep: number): void {
    for (const [key, entry] of entries) {
      if (!stillServed(entry)) entries.delete(key);
    }
    // Map order is insertion order: past the cap, the oldest finished answers go.
    for (const [key, entry] of entries) {
      if (entries.size <= keep) break;
      if (entry.finished) entries.delete(key);
    }
  }

  return (request) => {
    const key = graphKey(request);
    const existing = entries.get(key);
    if (existing && stillServed(existing)) return existing.build;

    const startedAt = now();
    const entry: Entry = {
      startedAt,
      finished: false,
      build: build(request).then((graph) => {
        entry.finished = true;
        const body = new TextEncoder().encode(JSON.stringify(graph));
        return { body, gzipped: once(() => gzipBytes(body)), startedAt };
      }),
    };
    entries.delete(key);
    forget(maxEntries - 1);
    // Every held graph is still being built: this one is not shared, and the map does not grow.
    if (entries.size >= maxEntries) return entry.build;
    entries.set(key, entry);
    entry.build.then(() => forget(maxEntries), () => {
      // A failed build is not served again: the next viewer starts a new one.
      if (entries.get(key) === entry) entries.delete(key);
    });
    return entry.build;
  };
}

/**
 * A response that sends `body` itself. Given as a byte array, a Response body is copied (Fetch's
 * "extract a body"), and at fifty viewers those multi-megabyte copies outrun the garbage collector:
 * the console's external memory grew by hundreds of megabytes. A stream over the same bytes is read
 * without copying.
 */
export function sharedBodyResponse(body: Uint8Array, headers: Record<string, string>): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
  return new Response(stream, { headers });
}
