/**
 * The HTTP side of pod logs (see pod-logs.ts for the semantics):
 *   GET  /api/v1/namespaces/{ns}/pods/{name}/log   text/plain, or a chunked stream with follow=true
 *   POST /emulator/pod-logs                        the simulator's lines (admin token only)
 * Authorization (`get` on `pods/log`) is the server's, before either is reached.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { parseJson, readBody, sendJson } from "./http-io";
import type { KubeObject } from "./object";
import { ByteBudget, parseLogQuery, renderLine, resolveLogContainer, selectLines, type LogLine, type PodLogStore } from "./pod-logs";
import type { Registry } from "./registry";
import { RESOURCE_TYPES } from "./resources";
import { badRequest } from "./status";

const PODS = RESOURCE_TYPES.find((type) => type.group === "" && type.kind === "Pod");

/** One push stays well under the 3 MiB body limit and one tick of a busy simulator. */
export const MAX_ENTRIES_PER_PUSH = 10_000;
/** Envoy's access-log lines are far shorter; a longer line is a bug on the pushing side. */
export const MAX_LINE_CHARS = 16_384;

export const podLogPushSchema = z.object({
  entries: z
    .array(
      z.object({
        namespace: z.string().min(1).max(63),
        pod: z.string().min(1).max(253),
        container: z.string().min(1).max(63),
        /** When the line was written, RFC3339 (e.g. `2025-01-02T03:04:05.678Z`). */
        time: z.string().refine((value) => !Number.isNaN(Date.parse(value)), "must be an RFC3339 time"),
        line: z.string().max(MAX_LINE_CHARS).refine((value) => !value.includes("\n"), "must be one line (no newline)"),
      }),
    )
    .max(MAX_ENTRIES_PER_PUSH),
});

export type PodLogPush = z.infer<typeof podLogPushSchema>;

export interface PodLogDependencies {
  registry: Registry;
  podLogs: PodLogStore;
}

function podsType() {
  if (!PODS) throw new Error("resource type Pod is not registered");
  return PODS;
}

function containersOf(pod: KubeObject): Set<string> {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  const names = new Set<string>();
  for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
    const list = spec[field];
    if (Array.isArray(list)) for (const c of list as { name?: unknown }[]) if (typeof c.name === "string") names.add(c.name);
  }
  return names;
}

export interface AppendResult {
  appended: number;
  /** Entries whose pod or container does not exist (e.g. deleted since the simulator looked). */
  unknown: number;
  /** Entries refused because the emulator already holds as many containers' logs as it will. */
  overCapacity: number;
}

/** Appends lines to existing pods' containers; lines for pods or containers that do not exist are counted and dropped. */
export function appendPodLogs(deps: PodLogDependencies, entries: PodLogPush["entries"]): AppendResult {
  const result: AppendResult = { appended: 0, unknown: 0, overCapacity: 0 };
  const containersByPod = new Map<string, Set<string> | undefined>();
  for (const entry of entries) {
    const podKey = `${entry.namespace}/${entry.pod}`;
    if (!containersByPod.has(podKey)) {
      const pod = deps.registry.store.get(podsType(), entry.namespace, entry.pod);
      containersByPod.set(podKey, pod ? containersOf(pod) : undefined);
    }
    if (!containersByPod.get(podKey)?.has(entry.container)) {
      result.unknown++;
      continue;
    }
    const line: LogLine = { timeMs: Date.parse(entry.time), text: entry.line };
    if (deps.podLogs.append(entry.namespace, entry.pod, entry.container, line)) result.appended++;
    else result.overCapacity++;
  }
  return result;
}

export async function handlePodLogPush(deps: PodLogDependencies, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = podLogPushSchema.safeParse(parseJson(await readBody(req)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`pod-logs: ${issue?.path.join(".") || "(body)"}: ${issue?.message ?? "invalid"}`);
  }
  sendJson(res, 200, appendPodLogs(deps, parsed.data.entries));
}

/** Drops a pod's logs when it is deleted, which also ends `follow` streams on it. */
export function dropLogsOfDeletedPods(deps: PodLogDependencies): () => void {
  return deps.registry.store.hub.subscribe(podsType(), (event) => {
    if (event.eventType === "DELETED") deps.podLogs.dropPod(event.object.metadata.namespace ?? "", event.object.metadata.name);
  });
}

/**
 * Serves one container's log. Checks run in kube-apiserver's order: the options (400/422), the
 * pod (404), the container (400). With follow=true the response stays open and carries each new
 * line until the client leaves, `limitBytes` is spent or the pod is deleted.
 */
export function handlePodLog(deps: PodLogDependencies, namespace: string, name: string, query: URLSearchParams, res: ServerResponse, nowMs = Date.now()): void {
  const options = parseLogQuery(query, name, nowMs);
  const pod = deps.registry.get(podsType(), namespace, name);
  const container = resolveLogContainer(pod, options.container);
  // Emulated containers never restart, so there is never a previous instance.
  if (options.previous) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  const budget = new ByteBudget(options.limitBytes);
  const initial = Buffer.concat(selectLines(deps.podLogs.lines(namespace, name, container), options).map((line) => budget.take(renderLine(line, options.timestamps))));
  const headers = { "Content-Type": "text/plain", "Cache-Control": "no-cache, private" };
  if (!options.follow || budget.spent) {
    res.writeHead(200, { ...headers, "Content-Length": String(initial.length) }).end(initial);
    return;
  }
  // No Content-Length: Node frames the body as chunked, and each line goes out as it comes.
  res.writeHead(200, headers);
  res.flushHeaders();
  if (initial.length > 0) res.write(initial);
  let stop: () => void = () => undefined;
  const finish = () => {
    stop();
    if (!res.writableEnded) res.end();
  };
  stop = deps.podLogs.follow(namespace, name, container, {
    line: (line) => {
      if (options.sinceMs !== undefined && line.timeMs < options.sinceMs) return;
      res.write(budget.take(renderLine(line, options.timestamps)));
      if (budget.spent) finish();
    },
    end: finish,
  });
  res.on("close", () => stop());
}
