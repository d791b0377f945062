import { describe, expect, it } from "vitest";
import type { KubeObject } from "./object";
import { ByteBudget, formatLogTimestamp, LineRing, parseLogQuery, PodLogStore, renderLine, resolveLogContainer, selectLines, type LogLine } from "./pod-logs";
import { ApiError } from "./status";

const T0 = Date.parse("2025-01-02T03:04:05.000Z");
const lines: LogLine[] = [0, 1, 2, 3, 4].map((i) => ({ timeMs: T0 + i * 1000, text: `line ${i}` }));

function pod(containers: string[], init: string[] = []): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "details-v1-abc", namespace: "bookinfo" },
    spec: { containers: containers.map((name) => ({ name, image: "x" })), initContainers: init.map((name) => ({ name, image: "x" })) },
  } as KubeObject;
}

function failure(run: () => unknown): { code: number; reason: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error("expected an ApiError");
}

describe("selectLines", () => {
  it.each([
    ["everything", {}, [0, 1, 2, 3, 4]],
    ["tailLines=2", { tailLines: 2 }, [3, 4]],
    ["tailLines=0", { tailLines: 0 }, []],
    ["tailLines above the count", { tailLines: 50 }, [0, 1, 2, 3, 4]],
    ["since the third line (inclusive)", { sinceMs: T0 + 2000 }, [2, 3, 4]],
    ["tail first, then since", { tailLines: 4, sinceMs: T0 + 3000 }, [3, 4]],
    ["since after the last line", { sinceMs: T0 + 9000 }, []],
  ])("%s", (_name, query, expected) => {
    expect(selectLines(lines, query).map((l) => l.text)).toEqual(expected.map((i) => `line ${i}`));
  });
});

describe("parseLogQuery", () => {
  const parse = (text: string) => parseLogQuery(new URLSearchParams(text), "details-v1-abc", T0);

  it("reads kubectl's parameters", () => {
    expect(parse("container=istio-proxy&follow=true&tailLines=5&timestamps=true&limitBytes=100")).toEqual({
      container: "istio-proxy", follow: true, previous: false, timestamps: true, tailLines: 5, limitBytes: 100,
    });
    expect(parse("sinceSeconds=10").sinceMs).toBe(T0 - 10_000);
    expect(parse("sinceTime=2025-01-02T03:04:00Z").sinceMs).toBe(T0 - 5000);
    expect(parse("")).toEqual({ follow: false, previous: false, timestamps: false });
  });

  it.each([
    ["tailLines=-1", 422, 'PodLogOptions "details-v1-abc" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0'],
    ["limitBytes=0", 422, 'PodLogOptions "details-v1-abc" is invalid: limitBytes: Invalid value: 0: must be greater than 0'],
    ["sinceSeconds=0", 422, 'PodLogOptions "details-v1-abc" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0'],
    ["sinceSeconds=5&sinceTime=2025-01-02T03:04:00Z", 422, "at most one of `sinceTime` or `sinceSeconds` may be specified"],
    ["tailLines=ten", 400, 'tailLines: invalid value "ten": expected an integer'],
    ["follow=maybe", 400, 'follow: invalid value "maybe": expected true or false'],
    ["sinceTime=yesterday", 400, 'sinceTime: invalid value "yesterday": expected an RFC3339 time'],
  ])("refuses %s with %i", (text, code, message) => {
    const error = failure(() => parse(text));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });
});

describe("resolveLogContainer", () => {
  it("defaults to the only container", () => {
    expect(resolveLogContainer(pod(["web"]), undefined)).toBe("web");
  });

  it("takes a named app, sidecar or init container", () => {
    const injected = pod(["details", "istio-proxy"], ["istio-init"]);
    expect(resolveLogContainer(injected, "istio-proxy")).toBe("istio-proxy");
    expect(resolveLogContainer(injected, "istio-init")).toBe("istio-init");
  });

  it("asks for a container name on a pod with several, listing them as kube-apiserver does", () => {
    expect(failure(() => resolveLogContainer(pod(["details", "istio-proxy"]), undefined))).toEqual({
      code: 400,
      reason: "BadRequest",
      message: "a container name must be specified for pod details-v1-abc, choose one of: [details istio-proxy]",
    });
    expect(failure(() => resolveLogContainer(pod(["details", "istio-proxy"], ["istio-init"]), undefined)).message).toBe(
      "a container name must be specified for pod details-v1-abc, choose one of: [details istio-proxy] or one of the init containers: [istio-init]",
    );
  });

  it("refuses a container the pod does not have", () => {
    expect(failure(() => resolveLogContainer(pod(["details", "istio-proxy"]), "envoy"))).toEqual({
      code: 400,
      reason: "BadRequest",
      message: "container envoy is not valid for pod details-v1-abc",
    });
  });
});

describe("rendering", () => {
  it("prefixes the kubelet's fixed nine-digit RFC3339 timestamp", () => {
    expect(formatLogTimestamp(T0 + 7)).toBe("2025-01-02T03:04:05.007000000Z");
    expect(renderLine({ timeMs: T0, text: "hello" }, true)).toBe("2025-01-02T03:04:05.000000000Z hello\n");
    expect(renderLine({ timeMs: T0, text: "hello" }, false)).toBe("hello\n");
  });

  it("cuts at limitBytes, mid-line if need be", () => {
    const budget = new ByteBudget(8);
    expect(budget.take("line 0\n").toString()).toBe("line 0\n");
    expect(budget.take("line 1\n").toString()).toBe("l");
    expect(budget.spent).toBe(true);
    expect(budget.take("line 2\n").length).toBe(0);
  });
});

describe("LineRing and PodLogStore", () => {
  it("keeps the newest lines when full, oldest first", () => {
    const ring = new LineRing(3);
    for (const line of lines) ring.push(line);
    expect(ring.toArray().map((l) => l.text)).toEqual(["line 2", "line 3", "line 4"]);
    expect(ring.size).toBe(3);
  });

  it("hands appended lines to followers and ends them when the pod is dropped", () => {
    const store = new PodLogStore(10);
    const seen: string[] = [];
    let ended = false;
    store.follow("bookinfo", "p", "istio-proxy", { line: (l) => seen.push(l.text), end: () => (ended = true) });
    store.append("bookinfo", "p", "istio-proxy", lines[0] as LogLine);
    store.append("bookinfo", "p", "details", lines[1] as LogLine);
    expect(seen).toEqual(["line 0"]);
    expect(store.lines("bookinfo", "p", "details").map((l) => l.text)).toEqual(["line 1"]);
    store.dropPod("bookinfo", "p");
    expect(ended).toBe(true);
    expect(store.lines("bookinfo", "p", "istio-proxy")).toEqual([]);
  });
});
