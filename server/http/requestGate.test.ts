import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_REQUEST_BYTES } from "./requestBody";
import { installRequestGate } from "./requestGate";
import { LOCAL_ADDRESS_HEADER, PEER_ADDRESS_HEADER, socketFactsOf } from "./socketFacts";

/** What the server behind the gate saw: the facts stamped on the request, and how much body reached it. */
interface Seen {
  peer: string | undefined;
  local: string | undefined;
  bodyBytes: number;
}

describe("the request gate, in front of a real Node server", () => {
  let server: http.Server;
  let port: number;
  let handled = 0;

  beforeAll(async () => {
    installRequestGate();
    // Created after installing, like Next's server; the gate is on the prototype, so order does not matter.
    server = http.createServer((request, response) => {
      handled += 1;
      let bodyBytes = 0;
      request.on("data", (chunk: Buffer) => (bodyBytes += chunk.length));
      request.on("end", () => {
        // As a web stream's cancel does (the route's bounded reader cancels past the limit).
        if (request.url === "/cancelling") request.destroy();
        const seen: Seen = { peer: request.headers[PEER_ADDRESS_HEADER] as string, local: request.headers[LOCAL_ADDRESS_HEADER] as string, bodyBytes };
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify(seen));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Sends headers, then the body in `chunkBytes` pieces while no answer has come; resolves with the answer and how much was sent by then. */
  function upload(headers: Record<string, string | number>, totalBytes: number, path = "/", chunkBytes = 64 * 1024): Promise<{ status: number; body: string; sentWhenAnswered: number }> {
    return new Promise((resolve, reject) => {
      let sent = 0;
      let answered = false;
      // A connection of its own (a refused upload leaves it unusable), kept alive as a browser's is:
      // with `Connection: close` Node itself closes it once it has answered, under a client still sending.
      const request = http.request({ host: "127.0.0.1", port, method: "POST", path, headers, agent: new http.Agent({ keepAlive: true }) });
      request.on("response", (response) => {
        answered = true;
        const sentWhenAnswered = sent;
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => {
          request.destroy();
          resolve({ status: response.statusCode ?? 0, body, sentWhenAnswered });
        });
      });
      request.on("error", (error) => (answered ? undefined : reject(error)));
      request.flushHeaders();
      const sendMore = () => {
        if (answered) return;
        if (sent >= totalBytes) return void request.end();
        const size = Math.min(chunkBytes, totalBytes - sent);
        sent += size;
        request.write(Buffer.alloc(size, 0x20), () => setImmediate(sendMore));
      };
      sendMore();
    });
  }

  it("overwrites what a client sends under the console's own socket header names (spoofing)", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_ADDRESS_HEADER]: "203.0.113.9", [LOCAL_ADDRESS_HEADER]: "10.0.0.1" } });
    expect(await response.json()).toMatchObject({ peer: "127.0.0.1", local: "127.0.0.1" });
    expect(socketFactsOf(new Headers({ [PEER_ADDRESS_HEADER]: "::1", [LOCAL_ADDRESS_HEADER]: "::1" }))).toEqual({ peer: "::1", local: "::1" });
    expect(socketFactsOf(new Headers())).toBeUndefined();
  });

  it("refuses a Content-Length over the limit before the body is sent, and the server never sees it", async () => {
    const before = handled;
    const answer = await upload({ "content-length": 16 * 1024 * 1024, "content-type": "application/json" }, 0);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.reason).toBe("too-large");
    expect(handled).toBe(before);
  });

  it("gets the 413 to a client already sending a body announced too large, instead of resetting the connection under it", async () => {
    const total = 16 * 1024 * 1024;
    const answer = await upload({ "content-length": total }, total, "/", 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(answer.sentWhenAnswered).toBeLessThan(total);
  });

  it("ends a chunked body one byte past the limit and answers while the client is still sending", async () => {
    const total = 8 * 1024 * 1024;
    for (const path of ["/", "/cancelling"]) {
      const answer = await upload({ "transfer-encoding": "chunked" }, total, path);
      expect(answer.status, path).toBe(200);
      expect((JSON.parse(answer.body) as Seen).bodyBytes).toBe(MAX_REQUEST_BYTES + 1);
      expect(answer.sentWhenAnswered).toBeLessThan(total);
    }
  });

  it("answers a client that sends as fast as it can, rather than resetting the connection under it", async () => {
    const answer = await upload({ "transfer-encoding": "chunked" }, 16 * 1024 * 1024, "/cancelling", 1024 * 1024);
    expect(answer.status).toBe(200);
  });

  it("passes a body within the limit whole, chunked or not", async () => {
    expect(JSON.parse((await upload({ "transfer-encoding": "chunked" }, MAX_REQUEST_BYTES)).body)).toMatchObject({ bodyBytes: MAX_REQUEST_BYTES });
    expect(JSON.parse((await upload({ "content-length": 1000 }, 1000)).body)).toMatchObject({ bodyBytes: 1000 });
  });
});
