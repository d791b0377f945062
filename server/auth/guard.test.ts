import { beforeEach, describe, expect, it, vi } from "vitest";
import { kube, type KubeClients } from "@/server/kube";
import { clientsFor } from "@/server/kube/testCluster";
import { readLimiter, resetReadLimiter, SESSION_CONCURRENT_READS } from "@/server/http/readLimits";
import { MAX_REQUEST_BYTES } from "@/server/http/requestBody";
import { guardApiRequest } from "./guard";
import { resetAuthState, type AuthState } from "./state";

const CHANGE_HEADERS = { "x-mesh-console": "1", "content-type": "application/json" };
let state: AuthState;
let handled: number;
const handle = async () => {
  handled += 1;
  return Response.json({ ok: true });
};

function change(headers: Record<string, string> = CHANGE_HEADERS): Request {
  return new Request("http://127.0.0.1/api/istio-config/bookinfo/VirtualService/reviews", { method: "PUT", headers, body: "{}" });
}

beforeEach(() => {
  state = resetAuthState();
  resetReadLimiter();
  handled = 0;
});

describe("guardApiRequest", () => {
  it("view-only refuses a change even with the admin identity (anonymous mode, console acting as admin)", async () => {
    const response = await guardApiRequest("/api/istio-config/[namespace]/[kind]/[name]", change(), handle, { mode: "anonymous", viewOnly: true });
    expect(response.status).toBe(403);
    expect((await response.json()).error.reason).toBe("view-only");
    expect(handled).toBe(0);
  });

  it("view-only refuses a signed-in person's change too, but still lets them sign out", async () => {
    const session = state.sessions.create({ clients: clientsFor("http://127.0.0.1:1", "admin-token") });
    const cookie = `mesh-console-session=${session.id}`;
    const refused = await guardApiRequest("/api/istio-config/[namespace]/[kind]/[name]", change({ ...CHANGE_HEADERS, cookie }), handle, { mode: "token", viewOnly: true });
    expect(refused.status).toBe(403);
    const signOut = await guardApiRequest("/api/auth/logout", new Request("http://127.0.0.1/api/auth/logout", { method: "POST", headers: { ...CHANGE_HEADERS, cookie }, body: "{}" }), handle, { mode: "token", viewOnly: true });
    expect(signOut.status).toBe(200);
    expect(handled).toBe(1);
  });

  it("refuses a change without the same-origin header (CSRF) and one sent as a form (CSRF via text/plain)", async () => {
    const policy = { mode: "anonymous", viewOnly: false } as const;
    expect((await guardApiRequest("r", change({ "content-type": "application/json" }), handle, policy)).status).toBe(403);
    expect((await guardApiRequest("r", change({ "x-mesh-console": "1", "content-type": "text/plain" }), handle, policy)).status).toBe(415);
    expect(handled).toBe(0);
  });

  it("refuses a body announced over the limit before reading it (memory exhaustion)", async () => {
    const response = await guardApiRequest("r", change({ ...CHANGE_HEADERS, "content-length": String(MAX_REQUEST_BYTES + 1) }), handle, { mode: "anonymous", viewOnly: false });
    expect(response.status).toBe(413);
  });

  it("limits a session's expensive reads running at once, after checking the session (resource exhaustion)", async () => {
    const session = state.sessions.create({ clients: clientsFor("http://127.0.0.1:1", "person-token") });
    const graphRead = () => new Request("http://127.0.0.1/api/graph?namespaces=bookinfo", { headers: { cookie: `mesh-console-session=${session.id}` } });
    const policy = { mode: "token", viewOnly: false } as const;
    const finish: (() => void)[] = [];
    const slow = () => new Promise<Response>((resolve) => finish.push(() => resolve(new Response("graph"))));
    const running = Array.from({ length: SESSION_CONCURRENT_READS }, () => guardApiRequest("/api/graph", graphRead(), slow, policy));
    await vi.waitFor(() => expect(readLimiter().inFlight(`session:${session.id}`)).toBe(SESSION_CONCURRENT_READS));
    const refused = await guardApiRequest("/api/graph", graphRead(), handle, policy);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("2");
    // Someone without a session is told to sign in, not that they are busy.
    expect((await guardApiRequest("/api/graph", new Request("http://127.0.0.1/api/graph"), handle, policy)).status).toBe(401);
    finish.forEach((done) => done());
    expect((await Promise.all(running)).every((response) => response.status === 200)).toBe(true);
    expect((await guardApiRequest("/api/graph", graphRead(), handle, policy)).status).toBe(200);
  });

  it("lets reads through in anonymous mode with the console's identity", async () => {
    const response = await guardApiRequest("/api/namespaces", new Request("http://127.0.0.1/api/namespaces"), handle, { mode: "anonymous", viewOnly: true });
    expect(response.status).toBe(200);
  });

  it("runs a signed-in request with the session's clients, and the console's own outside it (identity confusion)", async () => {
    const personal: KubeClients = clientsFor("http://127.0.0.1:1", "person-token");
    const session = state.sessions.create({ clients: personal });
    let seen: KubeClients | undefined;
    const response = await guardApiRequest("/api/namespaces", new Request("http://127.0.0.1/api/namespaces", { headers: { cookie: `mesh-console-session=${session.id}` } }), async () => {
      seen = kube();
      return new Response("ok");
    }, { mode: "token", viewOnly: false });
    expect(response.status).toBe(200);
    expect(seen).toBe(personal);
    // Outside the request, kube() is the console's own identity again (or fails to load it here).
    let outside: KubeClients | undefined;
    try {
      outside = kube();
    } catch {
      outside = undefined;
    }
    expect(outside).not.toBe(personal);
  });

  it("answers 401 to a request without a session in token mode, except the probes", async () => {
    const policy = { mode: "token", viewOnly: false } as const;
    expect((await guardApiRequest("/api/namespaces", new Request("http://127.0.0.1/api/namespaces"), handle, policy)).status).toBe(401);
    expect((await guardApiRequest("/api/health", new Request("http://127.0.0.1/api/health"), handle, policy)).status).toBe(200);
  });
});
