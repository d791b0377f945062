import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { deliver, parseRolloutWebhooks } from "./webhooks";

describe("rollout webhook settings", () => {
  it("takes http and https URLs separated by spaces or commas", () => {
    expect(parseRolloutWebhooks("https://hooks.example.com/a, http://10.0.0.1:8080/b").map(String)).toEqual(["https://hooks.example.com/a", "http://10.0.0.1:8080/b"]);
    expect(parseRolloutWebhooks("  ")).toEqual([]);
  });

  it.each([
    ["hooks.example.com/a", /is not a URL/],
    ["ftp://hooks.example.com/a", /ftp: URLs are not allowed/],
    ["https://user:secret@hooks.example.com/a", /must not carry credentials/],
  ])("refuses %s", (value, message) => {
    expect(() => parseRolloutWebhooks(value)).toThrow(message);
  });
});

describe("delivering a notification", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("tries again after a failure and delivers the JSON body", async () => {
    const received: unknown[] = [];
    let answers = [503, 500, 204];
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        received.push(JSON.parse(body));
        response.writeHead(answers[0] ?? 204).end();
        answers = answers.slice(1);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    const waits: number[] = [];
    const delivered = await deliver(url, { phase: "aborted" }, { sleep: async (ms) => void waits.push(ms) });
    expect(delivered).toBe(true);
    expect(received).toEqual([{ phase: "aborted" }, { phase: "aborted" }, { phase: "aborted" }]);
    expect(waits).toEqual([1_000, 2_000]);
  });

  it("gives up after four attempts", async () => {
    server = createServer((_request, response) => response.writeHead(500).end());
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    const waits: number[] = [];
    expect(await deliver(url, {}, { sleep: async (ms) => void waits.push(ms) })).toBe(false);
    expect(waits).toEqual([1_000, 2_000, 4_000]);
  });
});
