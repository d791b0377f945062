/**
 * The pods/portforward subresource over WebSocket, as the kubelet speaks it behind the API server:
 * `GET /api/v1/namespaces/{ns}/pods/{pod}/portforward?ports=N` upgraded with the
 * `v4.channel.k8s.io` (or `portforward.k8s.io`) subprotocol. Each binary frame starts with a
 * channel byte: channel 0 carries the port's data both ways, channel 1 the server's error text.
 * The server's first frame on each channel is the port number (2 bytes, little endian).
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/cri/streaming/portforward/websocket.go
 *
 * Emulated pods run nowhere, so a pod names where its bytes go in an annotation:
 *   demo.mesh-console.io/forward-to: "127.0.0.1:PORT"   (loopback only)
 * which lets the console's real port-forward code reach a local process (e.g. the demo console).
 * Forwarding needs `create` on pods/portforward, which Kubernetes' built-in `view` role lacks, so the
 * viewer token is refused with 403.
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
 */
import type { IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { mayAccess, type Authenticator } from "./auth";
import type { Registry } from "./registry";
import { RESOURCE_TYPES } from "./resources";
import { ApiError, badRequest, forbidden, pathNotFound, unauthorized } from "./status";

export const FORWARD_TO_ANNOTATION = "demo.mesh-console.io/forward-to";
const PORTFORWARD_PATH = /^\/api\/v1\/namespaces\/([a-z0-9-]{1,63})\/pods\/([a-z0-9.-]{1,253})\/portforward$/;
/** Newest first, as kubectl offers them; the emulator takes the first it speaks. */
const SUBPROTOCOLS = ["v4.channel.k8s.io", "portforward.k8s.io"];
const DATA_CHANNEL = 0;
const ERROR_CHANNEL = 1;
const LOOPBACK_TARGET = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/;

/** The loopback address a forward-to annotation names, or undefined: the emulator relays only on this machine. */
export function forwardTarget(annotation: string | undefined): { host: string; port: number } | undefined {
  const target = LOOPBACK_TARGET.exec(annotation ?? "");
  if (!target) return undefined;
  return { host: target[1] === "[::1]" ? "::1" : (target[1] ?? "127.0.0.1"), port: Number(target[2]) };
}

export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

const PODS = RESOURCE_TYPES.find((type) => type.group === "" && type.kind === "Pod");

function refuseUpgrade(socket: Duplex, error: ApiError): void {
  const body = JSON.stringify(error.toStatus());
  socket.end(
    [`HTTP/1.1 ${error.code} ${error.reason}`, "Content-Type: application/json", `Content-Length: ${Buffer.byteLength(body)}`, "Connection: close", "", body].join("\r\n"),
  );
}

function frame(channel: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), payload]);
}

function portPrefix(channel: number, port: number): Buffer {
  const buffer = Buffer.alloc(3);
  buffer.writeUInt8(channel, 0);
  buffer.writeUInt16LE(port, 1);
  return buffer;
}

interface ForwardTarget {
  port: number;
  host: string;
  targetPort: number;
}

/** Checks the request as the API server would, answering the forward's target or the refusal. */
function resolveTarget(deps: { auth: Authenticator; registry: Registry }, req: IncomingMessage): ForwardTarget {
  const url = new URL(req.url ?? "/", "http://kube-api.local");
  const match = PORTFORWARD_PATH.exec(url.pathname);
  if (!match || !PODS) throw pathNotFound();
  const [, namespace = "", name = ""] = match;
  const user = deps.auth.authenticate(req.headers.authorization);
  if (!user) throw unauthorized();
  const portForward = { ...PODS, plural: "pods/portforward" };
  if (!mayAccess(user, "create", portForward, namespace, name)) throw forbidden(user.name, "create", portForward, namespace, name);
  const ports = url.searchParams.getAll("ports").flatMap((value) => value.split(","));
  const port = Number(ports[0]);
  if (ports.length !== 1 || !Number.isInteger(port) || port < 1 || port > 65535) throw badRequest("exactly one port in 1-65535 is supported per forward");
  const pod = deps.registry.get(PODS, namespace, name);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase !== "Running") throw badRequest(`unable to forward to pod ${name}: it is ${phase ?? "not running"}`);
  const annotation = (pod.metadata.annotations as Record<string, string> | undefined)?.[FORWARD_TO_ANNOTATION] ?? "";
  const target = forwardTarget(annotation);
  if (!target) throw badRequest(`pod ${namespace}/${name} has no ${FORWARD_TO_ANNOTATION}: "127.0.0.1:PORT" annotation, so the emulator has nowhere to forward`);
  return { port, host: target.host, targetPort: target.port };
}

function pipe(ws: WebSocket, target: ForwardTarget): void {
  ws.send(portPrefix(DATA_CHANNEL, target.port));
  ws.send(portPrefix(ERROR_CHANNEL, target.port));
  const upstream: Socket = connect(target.targetPort, target.host);
  upstream.on("data", (chunk: Buffer) => ws.send(frame(DATA_CHANNEL, chunk)));
  upstream.on("error", (error: NodeJS.ErrnoException) => {
    if (ws.readyState === ws.OPEN) ws.send(frame(ERROR_CHANNEL, Buffer.from(`error forwarding port ${target.port}: ${error.code ?? error.message}`)));
    ws.close();
  });
  upstream.on("close", () => ws.close());
  ws.on("message", (data: RawData) => {
    const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (buffer[0] === DATA_CHANNEL && buffer.length > 1) upstream.write(buffer.subarray(1));
  });
  ws.on("close", () => upstream.end());
  ws.on("error", () => upstream.destroy());
}

export function createPortForwardListener(deps: { auth: Authenticator; registry: Registry }): UpgradeListener {
  const server = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => SUBPROTOCOLS.find((protocol) => offered.has(protocol)) ?? false,
  });
  return (req, socket, head) => {
    let target: ForwardTarget;
    try {
      target = resolveTarget(deps, req);
    } catch (error) {
      refuseUpgrade(socket, error instanceof ApiError ? error : new ApiError(500, "InternalError", String(error)));
      return;
    }
    server.handleUpgrade(req, socket, head, (ws) => pipe(ws, target));
  };
}
