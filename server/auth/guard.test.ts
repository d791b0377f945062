import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { kube, type KubeClients } from "@/server/kube";
import { readLimiter, resetReadLimiter, SESSION_CONCURRENT_READS } from "@/server/http/readLimits";
import { MAX_REQUEST_BYTES } from "@/server/http/requestBody";
import { guardApiRequest } from "./guard";
import { newSessionClaims, sealedSessionCookies, useSignOutRecord } from "./session";
import { resetAuthState } from "./state";

let dir: string;
const signedOut = new Set<string>();

beforeAll(async () => {
  // The console's own cluster (never reached here): sessions' clients are built against it.
  dir = await mkdtemp(path.join(tmpdir(), "mesh-console-guard-"));
  const kubeconfig = path.join(dir, "kubeconfig");
  await writeFile(kubeconfig, JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [{ name: "c", cluster: { server: "http://127.0.0.1:1" } }], users: [{ name: "u", user: { token: "console" } }], contexts: [{ name: "c", context: { cluster: "c", user: "u" } }], "current-context": "c" }));
  process.env.KUBECONFIG = kubeconfig;
  useSignOutRecord({ revoked: async (sid) => signedOut.has(sid), revoke: async (sid) => void signedOut.add(sid) });
});

afterAll(async () => {
  useSignOutRecord(undefined);
  await rm(dir, { recursive: true, force: true });
});

/** A sealed token-mode session as the browser would send it back. */
async function sessionFor(token: string): Promise<{ id: string; cookie: string }> {
  const claims = newSessionClaims("token", token, Date.now());
  const cookies = await sealedSessionCookies(claims, { basePath: "", secure: false });
  return { id: claims.sid, cookie: cookies.filter((cookie) => !cookie.includes("Max-Age=0")).map((cookie) => cookie.split(";")[0]).join("; ") };
}

function tokenOf(clients: KubeClients | undefined): string | undefined {
  return clients?.kubeConfig.getCurrentUser()?.token;
}

const CHANGE_HEADERS = { "x-mesh-console": "1", "content-type": "application/json" };
let handled: number;
const handle = async () => {
  handled += 1;
  return Response.json({ ok: true });
};

function change(headers: Record<string, string> = CHANGE_HEADERS): Request {
  return new Request("http://127.0.0.1/api/istio-config/bookinfo/VirtualService/reviews", { method: "PUT", headers, body: "{}" });
}

beforeEach(() => {
  resetAuthState();
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
    const { cookie } = await sessionFor("admin-token");
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
    const session = await sessionFor("person-token");
    const graphRead = () => new Request("http://127.0.0.1/api/graph?namespaces=bookinfo", { headers: { cookie: session.cookie } });
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
    const session = await sessionFor("person-token");
    let seen: KubeClients | undefined;
    const response = await guardApiRequest("/api/namespaces", new Request("http://127.0.0.1/api/namespaces", { headers: { cookie: session.cookie } }), async () => {
      seen = kube();
      return new Response("ok");
    }, { mode: "token", viewOnly: false });
    expect(response.status).toBe(200);
    expect(tokenOf(seen)).toBe("person-token");
    // Outside the request, kube() is the console's own identity again (or fails to load it here).
    let outside: KubeClients | undefined;
    try {
      outside = kube();
    } catch {
      outside = undefined;
    }
    expect(tokenOf(outside)).not.toBe("person-token");
  });

  it("answers 401 to a request without a session in token mode, except the probes", async () => {
    const policy = { mode: "token", viewOnly: false } as const;
    expect((await guardApiRequest("/api/namespaces", new Request("http://127.0.0.1/api/namespaces"), handle, policy)).status).toBe(401);
    expect((await guardApiRequest("/api/health", new Request("http://127.0.0.1/api/health"), handle, policy)).status).toBe(200);
  });

  it("refuses a session signed out on any replica even when its cookie was kept (revocation record)", async () => {
    const session = await sessionFor("person-token");
    const read = () => guardApiRequest("/api/namespaces", new Request("http://127.0.0.1/api/namespaces", { headers: { cookie: session.cookie } }), handle, { mode: "token", viewOnly: false });
    expect((await read()).status).toBe(200);
    signedOut.add(session.id);
    const refused = await read();
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.reason).toBe("signed-out");
  });

  it("does not take a token-mode session in openid mode, nor a cookie changed by the browser", async () => {
    const session = await sessionFor("person-token");
    const withCookie = (cookie: string) => new Request("http://127.0.0.1/api/namespaces", { headers: { cookie } });
    expect((await guardApiRequest("/api/namespaces", withCookie(session.cookie), handle, { mode: "openid", viewOnly: false })).status).toBe(401);
    const tampered = session.cookie.slice(0, -3) + (session.cookie.endsWith("AAA") ? "BBB" : "AAA");
    expect((await guardApiRequest("/api/namespaces", withCookie(tampered), handle, { mode: "token", viewOnly: false })).status).toBe(401);
  });
});
