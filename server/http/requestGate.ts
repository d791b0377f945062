/**
 * What every request passes in Node's own server, before Next.js sees it: the socket's facts are
 * stamped on it (socketFacts.ts), and its body is held to the console's limit (bodyGate.ts). Next.js
 * gives its proxy and routes a Request without the socket and after reading the body, so these two
 * can only be done here.
 *
 * Installed from instrumentation.ts, which Next.js runs before it serves the first request,
 * whatever started the server (`next start`, the standalone `server.js` of the image, the demo):
 * Node emits "request" on its server for every request of every connection, and the hook sits in
 * front of the listeners Next.js registered.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { gateRequestBody } from "./bodyGate";
import { stampSocketFacts } from "./socketFacts";

const installed = Symbol.for("mesh-console.request-gate");
type Gated = { [installed]?: true };
type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

/** Handles one request at the gate; true when the gate answered it itself. */
export function passGate(request: IncomingMessage, response: ServerResponse): boolean {
  stampSocketFacts(request);
  return gateRequestBody(request, response);
}

function gateRequestsOf(prototype: typeof http.Server.prototype): void {
  const holder = prototype as unknown as Gated;
  if (holder[installed]) return;
  holder[installed] = true;
  const emit = prototype.emit as Emit;
  prototype.emit = function emitThroughGate(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request" && passGate(args[0] as IncomingMessage, args[1] as ServerResponse)) return true;
    return emit.call(this, event, ...args);
  } as typeof prototype.emit;
}

export function installRequestGate(): void {
  gateRequestsOf(http.Server.prototype);
  gateRequestsOf(https.Server.prototype as unknown as typeof http.Server.prototype);
}
