/**
 * Container logs as the kubelet keeps them behind `GET pods/{name}/log`: one bounded buffer per
 * pod container (the kubelet rotates files; here the oldest lines fall off), and the query
 * semantics of PodLogOptions: which container, `tailLines` then `sinceSeconds`/`sinceTime`,
 * `timestamps`, `limitBytes`, `previous`.
 * https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod
 *
 * Emulated pods run nothing, so lines come from outside: the simulator pushes its proxies' access
 * logs and its apps' lines (POST /emulator/pod-logs, see pod-log-endpoint.ts).
 */
import type { KubeObject } from "./object";
import { ApiError, badRequest } from "./status";

/** Per container; the kubelet's default rotation (10 MiB) holds about as much Envoy access log. */
export const MAX_LINES_PER_CONTAINER = 5000;
/** Bounds the memory of a pushed-into emulator whatever the pushing side does. */
export const MAX_CONTAINER_BUFFERS = 4000;

export interface LogLine {
  /** When the runtime wrote the line (ms since the epoch): what `timestamps` and `since*` use. */
  timeMs: number;
  text: string;
}

/** A fixed-capacity ring: appending is O(1), the oldest line is overwritten when full. */
export class LineRing {
  private readonly slots: LogLine[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(line: LogLine): void {
    if (this.slots.length < this.capacity) this.slots.push(line);
    else this.slots[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Oldest first. */
  toArray(): LogLine[] {
    if (this.slots.length < this.capacity) return [...this.slots];
    return [...this.slots.slice(this.next), ...this.slots.slice(0, this.next)];
  }
}

export interface LogFollower {
  line(line: LogLine): void;
  /** The pod went away: the kubelet closes the stream when the container ends. */
  end(): void;
}

interface ContainerLog {
  ring: LineRing;
  followers: Set<LogFollower>;
}

const keyOf = (namespace: string, pod: string, container: string) => `${namespace}/${pod}/${container}`;

export class PodLogStore {
  private readonly containers = new Map<string, ContainerLog>();

  constructor(private readonly capacity = MAX_LINES_PER_CONTAINER) {}

  private entry(namespace: string, pod: string, container: string, create: boolean): ContainerLog | undefined {
    const key = keyOf(namespace, pod, container);
    let log = this.containers.get(key);
    if (!log && create && this.containers.size < MAX_CONTAINER_BUFFERS) {
      log = { ring: new LineRing(this.capacity), followers: new Set() };
      this.containers.set(key, log);
    }
    return log;
  }

  /** Appends one line; false when the emulator already holds MAX_CONTAINER_BUFFERS containers' logs. */
  append(namespace: string, pod: string, container: string, line: LogLine): boolean {
    const log = this.entry(namespace, pod, container, true);
    if (!log) return false;
    log.ring.push(line);
    for (const follower of [...log.followers]) follower.line(line);
    return true;
  }

  lines(namespace: string, pod: string, container: string): LogLine[] {
    return this.entry(namespace, pod, container, false)?.ring.toArray() ?? [];
  }

  /** Followers get every later line of the container until they unsubscribe or the pod is dropped. */
  follow(namespace: string, pod: string, container: string, follower: LogFollower): () => void {
    const log = this.entry(namespace, pod, container, true);
    if (!log) {
      follower.end();
      return () => undefined;
    }
    log.followers.add(follower);
    return () => {
      log.followers.delete(follower);
    };
  }

  /** Forgets a deleted pod's logs and ends its followers (a recreated pod starts empty, as on a node). */
  dropPod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const [key, log] of this.containers) {
      if (!key.startsWith(prefix)) continue;
      this.containers.delete(key);
      for (const follower of [...log.followers]) follower.end();
    }
  }
}

export interface LogQuery {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  /** Lines written at or after this instant (ms), from sinceSeconds or sinceTime. */
  sinceMs?: number;
  limitBytes?: number;
}

function booleanParam(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === "" || value === "false" || value === "0") return false;
  if (value === "true" || value === "1") return true;
  throw badRequest(`${name}: invalid value "${value}": expected true or false`);
}

function integerParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed)) throw badRequest(`${name}: invalid value "${value}": expected an integer`);
  return parsed;
}

/** kube-apiserver reports PodLogOptions it cannot accept as 422 Invalid on kind PodLogOptions. */
function invalidOptions(pod: string, causes: { field: string; message: string }[]): ApiError {
  const messages = causes.map((c) => `${c.field}: ${c.message}`);
  const summary = messages.length === 1 ? messages[0] : `[${messages.join(", ")}]`;
  return new ApiError(422, "Invalid", `PodLogOptions "${pod}" is invalid: ${summary}`, {
    name: pod,
    kind: "PodLogOptions",
    causes: causes.map((c) => ({ reason: "FieldValueInvalid", message: c.message, field: c.field })),
  });
}

/**
 * Reads PodLogOptions from the query, validated as ValidatePodLogOptions does.
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go (ValidatePodLogOptions)
 */
export function parseLogQuery(query: URLSearchParams, pod: string, nowMs: number): LogQuery {
  const tailLines = integerParam(query, "tailLines");
  const sinceSeconds = integerParam(query, "sinceSeconds");
  const limitBytes = integerParam(query, "limitBytes");
  const sinceTimeText = query.get("sinceTime") || undefined;
  const sinceTime = sinceTimeText === undefined ? undefined : Date.parse(sinceTimeText);
  if (sinceTime !== undefined && Number.isNaN(sinceTime)) throw badRequest(`sinceTime: invalid value "${sinceTimeText}": expected an RFC3339 time`);
  const causes: { field: string; message: string }[] = [];
  if (tailLines !== undefined && tailLines < 0) causes.push({ field: "tailLines", message: `Invalid value: ${tailLines}: must be greater than or equal to 0` });
  if (limitBytes !== undefined && limitBytes < 1) causes.push({ field: "limitBytes", message: `Invalid value: ${limitBytes}: must be greater than 0` });
  if (sinceSeconds !== undefined && sinceTime !== undefined) causes.push({ field: "", message: "at most one of `sinceTime` or `sinceSeconds` may be specified" });
  if (sinceSeconds !== undefined && sinceSeconds < 1) causes.push({ field: "sinceSeconds", message: `Invalid value: ${sinceSeconds}: must be greater than 0` });
  if (causes.length > 0) throw invalidOptions(pod, causes);
  const container = query.get("container") || undefined;
  return {
    ...(container ? { container } : {}),
    follow: booleanParam(query, "follow"),
    previous: booleanParam(query, "previous"),
    timestamps: booleanParam(query, "timestamps"),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(sinceSeconds !== undefined ? { sinceMs: nowMs - sinceSeconds * 1000 } : sinceTime !== undefined ? { sinceMs: sinceTime } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
  };
}

function containerNames(pod: KubeObject, field: "containers" | "initContainers" | "ephemeralContainers"): string[] {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  const list = Array.isArray(spec[field]) ? (spec[field] as { name?: unknown }[]) : [];
  return list.map((c) => (typeof c.name === "string" ? c.name : "")).filter((name) => name !== "");
}

/**
 * The container a log request reads, as the API server's LogLocation picks it: the only
 * container when none is named; otherwise the named one, which may be an init or ephemeral one.
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/pod/strategy.go (LogLocation)
 */
export function resolveLogContainer(pod: KubeObject, requested: string | undefined): string {
  const name = pod.metadata.name;
  const containers = containerNames(pod, "containers");
  const init = containerNames(pod, "initContainers");
  const ephemeral = containerNames(pod, "ephemeralContainers");
  if (requested === undefined) {
    if (containers.length === 1 && containers[0]) return containers[0];
    if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    // Go prints the joined names inside brackets: "choose one of: [a b]".
    let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]`;
    if (init.length > 0) message += ` or one of the init containers: [${init.join(" ")}]`;
    if (ephemeral.length > 0) message += ` or one of the ephemeral containers: [${ephemeral.join(" ")}]`;
    throw badRequest(message);
  }
  if (![...containers, ...init, ...ephemeral].includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/** `tailLines` counts from the end of the log, then `since*` drops older lines, as the kubelet reads its file. */
export function selectLines(lines: readonly LogLine[], query: Pick<LogQuery, "tailLines" | "sinceMs">): LogLine[] {
  const tail = query.tailLines === undefined ? lines : query.tailLines === 0 ? [] : lines.slice(-query.tailLines);
  const since = query.sinceMs;
  return since === undefined ? [...tail] : tail.filter((line) => line.timeMs >= since);
}

/**
 * The kubelet's fixed-width RFC3339Nano (`2006-01-02T15:04:05.000000000Z07:00`, always nine digits, UTC),
 * so prefixed lines line up. https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/kuberuntime/logs/logs.go
 */
export function formatLogTimestamp(timeMs: number): string {
  const iso = new Date(timeMs).toISOString();
  return `${iso.slice(0, 23)}000000Z`;
}

export function renderLine(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${formatLogTimestamp(line.timeMs)} ${line.text}\n` : `${line.text}\n`;
}

/** Cuts output at `limitBytes` (possibly mid-line, as the kubelet's limit writer does); undefined once spent. */
export class ByteBudget {
  private remaining: number;

  constructor(limitBytes: number | undefined) {
    this.remaining = limitBytes ?? Number.POSITIVE_INFINITY;
  }

  take(text: string): Buffer {
    const bytes = Buffer.from(text, "utf8");
    if (this.remaining === Number.POSITIVE_INFINITY) return bytes;
    const taken = bytes.subarray(0, Math.max(0, this.remaining));
    this.remaining -= taken.length;
    return taken;
  }

  get spent(): boolean {
    return this.remaining <= 0;
  }
}
