import { describe, expect, it } from "vitest";
import type { PrometheusClient } from "./client";
import { shareQueries } from "./sharing";

function countingClient(fail = false) {
  const calls: string[] = [];
  const client: PrometheusClient = {
    baseUrl: "http://prometheus.test",
    async instant(query) {
      calls.push(query);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) throw new Error("down");
      return [{ metric: { q: query }, value: [0, "1"] }];
    },
    async queryData() {
      throw new Error("unused");
    },
    async range() {
      throw new Error("unused");
    },
  };
  return { client, calls };
}

describe("shareQueries", () => {
  it("sends identical queries in flight once and reuses the answer within the TTL", async () => {
    let clock = 0;
    const { client, calls } = countingClient();
    const shared = shareQueries(client, 1000, () => clock);
    const answers = await Promise.all(Array.from({ length: 50 }, () => shared.instant("up")));
    expect(calls).toEqual(["up"]);
    expect(answers.every((answer) => answer === answers[0])).toBe(true);

    clock = 500;
    await shared.instant("up");
    expect(calls).toHaveLength(1);

    clock = 1500;
    await shared.instant("up");
    expect(calls).toHaveLength(2);
  });

  it("lets go of expired answers as newer ones arrive, however few queries there are", async () => {
    let clock = 0;
    const { client } = countingClient();
    const shared = shareQueries(client, 1000, () => clock);
    for (let step = 0; step < 20; step++) {
      clock = step * 5_000;
      await Promise.all(["requests", "latency", "bytes", "security"].map((query) => shared.instant(query, clock / 1000)));
    }
    expect(shared.heldAnswers()).toBe(4);
  });

  it("holds at most maxHeldAnswers: the oldest finished answer goes first, and past the cap in flight a query runs unshared", async () => {
    const { client, calls } = countingClient();
    const shared = shareQueries(client, 60_000, () => 0, 2);
    await Promise.all([shared.instant("a"), shared.instant("b")]);
    await shared.instant("c");
    expect(shared.heldAnswers()).toBe(2);
    await shared.instant("c");
    await shared.instant("b");
    expect(calls).toEqual(["a", "b", "c"]);
    await shared.instant("a");
    expect(calls).toEqual(["a", "b", "c", "a"]);

    // A flood of distinct queries arriving together: two are held in flight, the rest not kept.
    const flood = Array.from({ length: 20 }, (_, index) => shared.instant(`flood-${index}`));
    expect(shared.heldAnswers()).toBe(2);
    await Promise.all(flood);
    expect(shared.heldAnswers()).toBe(2);
  });

  it("does not cache failures", async () => {
    const { client, calls } = countingClient(true);
    const shared = shareQueries(client, 10_000);
    await expect(shared.instant("up")).rejects.toThrow("down");
    await expect(shared.instant("up")).rejects.toThrow("down");
    expect(calls).toHaveLength(2);
  });
});
