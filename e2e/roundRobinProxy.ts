/**
 * A round-robin HTTP proxy for the replica tests: each request goes to the next console in turn,
 * whatever the cookie says (no stickiness), and the proxy counts which replica answered what.
 */
import { createServer, request as httpRequest, type Server } from "node:http";

export interface RoundRobinProxy {
  url: string;
  /** Requests answered per replica, in the order of `targets`. */
  served: number[];
  /** The replica index that answered each request path, in order. */
  log: { path: string; replica: number; status: number }[];
  stop(): Promise<void>;
}

export async function startRoundRobinProxy(port: number, targets: readonly { port: number }[]): Promise<RoundRobinProxy> {
  let next = 0;
  const served = targets.map(() => 0);
  const log: RoundRobinProxy["log"] = [];
  const server: Server = createServer((req, res) => {
    const replica = next;
    next = (next + 1) % targets.length;
    const target = targets[replica];
    if (!target) throw new Error("no replica");
    const upstream = httpRequest({ host: "127.0.0.1", port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      served[replica] = (served[replica] ?? 0) + 1;
      log.push({ path: req.url ?? "", replica, status: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      // A replica being restarted refuses connections: as a Service would, try the next one.
      log.push({ path: req.url ?? "", replica, status: 502 });
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end("replica unavailable");
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
