/**
 * A watch response: a chunked stream of newline-delimited JSON events.
 * resourceVersion absent or "0" starts with the current state as ADDED events; a
 * resourceVersion replays the history after it, or, when that history is gone, sends one
 * ERROR event carrying a 410 Expired Status (with HTTP 200, as the API server does).
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks
 */
import type { ServerResponse } from "node:http";
import type { KubeObject } from "./object";
import type { ResourceType } from "./resources";
import type { ObjectFilter } from "./selectors";
import { badRequest, expired } from "./status";
import type { ObjectStore } from "./store";
import { toTable, type IncludeObject } from "./table";
import type { ChangeEvent } from "./watch-hub";

export interface WatchRequest {
  type: ResourceType;
  /** apiVersion objects are sent with (the version in the URL). */
  apiVersion: string;
  namespace?: string;
  filter: ObjectFilter;
  resourceVersion: string | null;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds: number;
  table?: { include: IncludeObject };
}

export interface WatchSettings {
  bookmarkIntervalMs: number;
}

type EventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/** Open watches, so the server can end them all on shutdown. */
export class WatchRegistry {
  private readonly open = new Set<() => void>();

  add(close: () => void): () => void {
    this.open.add(close);
    return () => this.open.delete(close);
  }

  closeAll(): void {
    for (const close of [...this.open]) close();
  }

  count(): number {
    return this.open.size;
  }
}

export function startWatch(res: ServerResponse, store: ObjectStore, request: WatchRequest, settings: WatchSettings, watches: WatchRegistry): void {
  const { type, namespace, filter } = request;
  let startRv: number | undefined;
  if (request.resourceVersion && request.resourceVersion !== "0") {
    startRv = Number(request.resourceVersion);
    if (!Number.isInteger(startRv) || startRv < 0) {
      throw badRequest(`resourceVersion: Invalid value: "${request.resourceVersion}": must be a resourceVersion returned by this server`);
    }
  }
  const inScope = (object: KubeObject) => (namespace === undefined || object.metadata.namespace === namespace) && filter(object);
  const render = (object: KubeObject): unknown => {
    const versioned = object.apiVersion === request.apiVersion ? object : { ...object, apiVersion: request.apiVersion };
    if (!request.table) return versioned;
    return toTable(type, [versioned], request.table.include, { resourceVersion: object.metadata.resourceVersion });
  };

  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  const send = (eventType: EventType, object: unknown) => {
    res.write(`${JSON.stringify({ type: eventType, object })}\n`);
  };
  const bookmark = (annotations?: Record<string, string>) => {
    send("BOOKMARK", {
      kind: type.kind,
      apiVersion: request.apiVersion,
      // Every event of this kind up to the current revision has been sent, so that is where to resume.
      metadata: { resourceVersion: String(store.currentRevision()), ...(annotations ? { annotations } : {}) },
    });
  };

  let replay: ChangeEvent[] = [];
  if (startRv === undefined) {
    for (const object of store.list(type, namespace)) if (filter(object)) send("ADDED", render(object));
    if (request.sendInitialEvents && request.allowBookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
  } else {
    const history = store.hub.eventsAfter(type, startRv);
    if (!history) {
      const oldest = store.hub.oldestResumable();
      send("ERROR", expired(`too old resource version: ${startRv} (${oldest})`).toStatus());
      res.end();
      return;
    }
    replay = history;
  }

  const deliver = (event: ChangeEvent) => {
    const now = inScope(event.object);
    const before = event.previous !== undefined && inScope(event.previous);
    if (event.eventType === "ADDED" && now) send("ADDED", render(event.object));
    else if (event.eventType === "DELETED" && (now || before)) send("DELETED", render(event.object));
    else if (event.eventType === "MODIFIED") {
      // An object that starts or stops matching a selector enters or leaves the watch.
      if (now && before) send("MODIFIED", render(event.object));
      else if (now) send("ADDED", render(event.object));
      else if (before) send("DELETED", render(event.object));
    }
  };
  for (const event of replay) deliver(event);

  const unsubscribe = store.hub.subscribe(type, deliver);
  const bookmarkTimer = request.allowBookmarks ? setInterval(() => bookmark(), settings.bookmarkIntervalMs) : undefined;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    clearTimeout(timeout);
    forget();
    if (!res.writableEnded) res.end();
  };
  const timeout = setTimeout(() => {
    if (request.allowBookmarks) bookmark();
    close();
  }, request.timeoutSeconds * 1000);
  const forget = watches.add(close);
  res.on("close", close);
}
