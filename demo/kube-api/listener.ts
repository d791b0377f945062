/**
 * One loopback port that speaks both HTTPS (for kubeconfig clients: kubectl sends tokens only
 * over TLS) and plain HTTP (for simple fetch-based clients and tests). The first byte of a
 * connection tells them apart: a TLS ClientHello starts with 0x16, an HTTP request with a letter.
 */
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import type { UpgradeListener } from "./portforward";
import type { RequestListener } from "./server";
import type { ServingCertificate } from "./tls";

const TLS_HANDSHAKE = 0x16;

export interface DualListener {
  port: number;
  close(): Promise<void>;
}

function tune(server: HttpServer | HttpsServer): void {
  // Watches are long-lived; Node's default request timeout would cut them.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 30_000;
}

export async function listenDual(listener: RequestListener, certificate: ServingCertificate, host: string, port: number, onUpgrade?: UpgradeListener): Promise<DualListener> {
  const plain = createHttpServer(listener);
  const secure = createHttpsServer({ cert: certificate.cert, key: certificate.key }, listener);
  tune(plain);
  tune(secure);
  // WebSocket upgrades (pods/portforward) bypass the request listener.
  if (onUpgrade) {
    plain.on("upgrade", onUpgrade);
    secure.on("upgrade", onUpgrade);
  }
  const sockets = new Set<Socket>();
  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.once("data", (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? secure : plain).emit("connection", socket);
      process.nextTick(() => socket.resume());
    });
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen(port, host, () => {
      front.off("error", reject);
      resolve();
    });
  });
  return {
    port: (front.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        front.close(() => resolve());
        plain.closeAllConnections();
        secure.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
