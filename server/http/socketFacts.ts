/**
 * What only the TCP socket knows: the peer's address (who is really calling) and the local address
 * the request arrived on (which interface the console is really bound to). Next.js gives route
 * handlers and the proxy a Request without its socket, and fills `X-Forwarded-For` from the socket
 * only when the client did not send one, so neither can be learnt from the headers a client
 * controls. The Node server's "request" event is the last place the socket is in reach: there
 * these facts are written into headers of the console's own, overwriting whatever a client sent
 * under those names, before Next.js or any route sees the request.
 *
 * Stamped by the request gate (requestGate.ts) on every request.
 */
import type { IncomingMessage } from "node:http";

/** The socket peer's address, as the console itself saw it. */
export const PEER_ADDRESS_HEADER = "x-mesh-console-peer-address";
/** The local address the request's connection was accepted on. */
export const LOCAL_ADDRESS_HEADER = "x-mesh-console-local-address";

/** Overwrites the two headers with the socket's facts (empty when the socket has gone). */
export function stampSocketFacts(request: IncomingMessage): void {
  request.headers[PEER_ADDRESS_HEADER] = request.socket?.remoteAddress ?? "";
  request.headers[LOCAL_ADDRESS_HEADER] = request.socket?.localAddress ?? "";
}

/** The stamped socket facts of a request; undefined where they were not stamped. */
export function socketFactsOf(headers: Headers): { peer: string; local: string } | undefined {
  const peer = headers.get(PEER_ADDRESS_HEADER);
  const local = headers.get(LOCAL_ADDRESS_HEADER);
  if (peer === null || local === null) return undefined;
  return { peer, local };
}
