import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseGraphRequest } from "./request";
import { GRAPH_REUSE_MS, graphKey, shareGraphBuilds, sharedBodyResponse } from "./sharedBuilds";

const request = (query: string) => parseGraphRequest(new URL(`http://console.test/api/graph?${query}`), 1_760_000_000);

/** A build the test finishes by hand, counting how many were started. */
function manualBuilds() {
  const pending: { resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];
  return {
    pending,
    build: () => new Promise<unknown>((resolve, reject) => pending.push({ resolve, reject })),
  };
}

/** Shared builds on a clock the test moves by hand, with builds it finishes by hand. */
function onTestClock(start: number) {
  const clock = { now: start };
  const builds = manualBuilds();
  const shared = shareGraphBuilds(builds.build, { reuseMs: 5_000, now: () => clock.now });
  return { clock, builds, shared };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("graphKey", () => {
  it("is the same for the same graph asked in another order, and differs for another graph", () => {
    expect(graphKey(request("namespaces=a,b&appenders=security,responseTime"))).toBe(graphKey(request("namespaces=b,a&appenders=responseTime,security")));
    expect(graphKey(request("namespaces=a"))).not.toBe(graphKey(request("namespaces=a&graphType=service")));
    expect(graphKey(request("namespaces=a"))).not.toBe(graphKey(request("namespaces=a&queryTime=1759999000")));
    expect(graphKey(request("namespaces=a"))).not.toBe(graphKey(request("namespaces=a&duration=5m")));
  });
});

describe("shareGraphBuilds", () => {
  it("lets viewers arriving during a build wait for that build instead of starting their own", async () => {
    const { builds, shared } = onTestClock(0);
    const first = shared(request("namespaces=a"));
    const second = shared(request("namespaces=a"));
    expect(builds.pending).toHaveLength(1);
    builds.pending[0]?.resolve({ nodes: ["x"] });
    const [a, b] = await Promise.all([first, second]);
    expect(text(a.body)).toBe('{"nodes":["x"]}');
    expect(b).toBe(a);
  });

  it("serves a finished graph until reuseMs after its build started, then builds again", async () => {
    const { clock, builds, shared } = onTestClock(1_000);
    const first = shared(request("namespaces=a"));
    clock.now = 3_000;
    builds.pending[0]?.resolve({ n: 1 });
    await first;
    clock.now = 5_999;
    expect(text((await shared(request("namespaces=a"))).body)).toBe('{"n":1}');
    expect(builds.pending).toHaveLength(1);
    clock.now = 6_000;
    const next = shared(request("namespaces=a"));
    expect(builds.pending).toHaveLength(2);
    builds.pending[1]?.resolve({ n: 2 });
    expect(text((await next).body)).toBe('{"n":2}');
  });

  it("keeps one build at a time even when a build outlasts reuseMs", async () => {
    const { clock, builds, shared } = onTestClock(0);
    const first = shared(request("namespaces=a"));
    clock.now = 12_000;
    const late = shared(request("namespaces=a"));
    expect(builds.pending).toHaveLength(1);
    builds.pending[0]?.resolve({ n: 1 });
    expect(await late).toBe(await first);
  });

  it("costs fifty viewers refreshing every 5 s about what one costs", async () => {
    const buildsFor = async (viewers: number) => {
      let clock = 0;
      let built = 0;
      const shared = shareGraphBuilds(
        async () => {
          built += 1;
          clock += 1_500; // each build takes 1.5 s
          return {};
        },
        { reuseMs: GRAPH_REUSE_MS, now: () => clock },
      );
      // Each viewer asks every 5 s, the viewers spread evenly over those 5 s.
      const asks = Array.from({ length: 12 * viewers }, (_, index) => Math.floor(index / viewers) * 5_000 + ((index % viewers) * 5_000) / viewers);
      for (const at of asks) {
        clock = Math.max(clock, at);
        await shared(request("namespaces=a"));
      }
      return built;
    };
    const alone = await buildsFor(1);
    expect(alone).toBe(12); // without sharing, one viewer gets a new graph on every refresh
    expect(await buildsFor(50)).toBeLessThanOrEqual(alone * 1.1);
  });

  it("gzips a graph once, however many browsers take it compressed, and the gzip holds the same JSON", async () => {
    const { builds, shared } = onTestClock(0);
    const first = shared(request("namespaces=a"));
    builds.pending[0]?.resolve({ nodes: ["x", "y"] });
    const graph = await first;
    const [a, b] = await Promise.all([graph.gzipped(), (await shared(request("namespaces=a"))).gzipped()]);
    expect(b).toBe(a);
    expect(text(gunzipSync(a))).toBe('{"nodes":["x","y"]}');
  });

  it("does not share between different graphs", () => {
    const { builds, shared } = onTestClock(0);
    void shared(request("namespaces=a"));
    void shared(request("namespaces=b"));
    expect(builds.pending).toHaveLength(2);
  });

  it("gives a failure to everyone waiting on that build but does not keep it", async () => {
    const { builds, shared } = onTestClock(0);
    const first = shared(request("namespaces=a"));
    const second = shared(request("namespaces=a"));
    builds.pending[0]?.reject(new Error("Prometheus is down"));
    await expect(first).rejects.toThrow("Prometheus is down");
    await expect(second).rejects.toThrow("Prometheus is down");
    await settle();
    void shared(request("namespaces=a"));
    expect(builds.pending).toHaveLength(2);
  });

  it("keeps at most maxEntries finished graphs", async () => {
    const built: string[] = [];
    const shared = shareGraphBuilds(
      async (graph) => {
        built.push(graph.namespaces.join());
        return {};
      },
      { reuseMs: 60_000, now: () => 0, maxEntries: 2 },
    );
    for (const name of ["a", "b", "c"]) await shared(request(`namespaces=${name}`));
    await settle();
    await shared(request("namespaces=c"));
    await shared(request("namespaces=a"));
    expect(built).toEqual(["a", "b", "c", "a"]);
  });

  it("holds at most maxEntries graphs while all are still building: a flood of distinct graphs is built unshared, not kept", async () => {
    const builds = manualBuilds();
    const shared = shareGraphBuilds(builds.build, { reuseMs: 5_000, now: () => 0, maxEntries: 2 });
    const answers = ["a", "b", "c", "c"].map((name) => shared(request(`namespaces=${name}`)));
    // a and b are held and shared; neither c joins a held build, so each is its own.
    expect(builds.pending).toHaveLength(4);
    void shared(request("namespaces=a"));
    expect(builds.pending).toHaveLength(4);
    builds.pending.forEach((build, index) => build.resolve({ n: index }));
    expect((await Promise.all(answers)).map((graph) => text(graph.body))).toEqual(['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}']);
    await settle();
    // Once a and b are finished, the next new graph takes the place of the oldest.
    void shared(request("namespaces=c"));
    void shared(request("namespaces=c"));
    expect(builds.pending).toHaveLength(5);
  });
});

describe("sharedBodyResponse", () => {
  it("sends the shared bytes to each viewer, unchanged, as often as asked", async () => {
    const body = new TextEncoder().encode(JSON.stringify({ nodes: ["a"] }));
    for (let viewer = 0; viewer < 3; viewer++) {
      const response = sharedBodyResponse(body, { "content-type": "application/json" });
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toEqual({ nodes: ["a"] });
    }
    expect(text(body)).toBe('{"nodes":["a"]}');
  });
});
