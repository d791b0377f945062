/**
 * A small HTTP proxy for fault tests: it forwards every request to one upstream, holding the
 * requests whose path matches for a set delay first, so a test can make Prometheus (or one
 * Kubernetes list) slow without touching the upstream itself. A held request is dropped when its
 * client gives up, so nothing waits on a caller that has gone.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface SlowProxy {
  url: string;
  /** Holds matching requests `delayMs` before forwarding them (0 forwards at once); `matching` defaults to every path. */
  setDelay(delayMs: number, matching?: RegExp): void;
  /** Requests held so far, for tests that must know the delay was in play. */
  heldRequests(): number;
  stop(): Promise<void>;
}

export async function startSlowProxy(options: { target: string; delayMs?: number; matching?: RegExp }): Promise<SlowProxy> {
  const target = new URL(options.target);
  let delayMs = options.delayMs ?? 0;
  let matching = options.matching ?? /./;
  let held = 0;
  const timers = new Set<NodeJS.Timeout>();

  const forward = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const upstream = http.request(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", (error) => {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end(`slow proxy: ${error.message}`);
    });
    response.on("close", () => upstream.destroy());
    request.pipe(upstream);
  };

  const server = http.createServer((request, response) => {
    const path = request.url ?? "/";
    if (delayMs <= 0 || !matching.test(path)) {
      forward(request, response);
      return;
    }
    held += 1;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!response.destroyed) forward(request, response);
    }, delayMs);
    timers.add(timer);
    // The caller timed out or went away: forget the request instead of forwarding it later.
    response.on("close", () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setDelay(nextDelayMs, nextMatching = /./) {
      delayMs = nextDelayMs;
      matching = nextMatching;
    },
    heldRequests: () => held,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
