import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi, type User } from "./index";

const MANIFESTS = path.resolve(import.meta.dirname, "..", "manifests");
const TOKENS = { admin: "impersonation-admin-token", viewer: "impersonation-viewer-token" };

/** The admin role may impersonate; the viewer role may not. */
const CALLERS: User[] = (["admin", "viewer"] as const).map((role) => ({ name: role, token: TOKENS[role], role }));

let api: KubeApi;

beforeAll(async () => {
  api = await startKubeApi({ seed: [MANIFESTS], users: CALLERS, groups: [{ group: "bookinfo-readers", role: "viewer", namespaces: ["bookinfo"] }] });
});

afterAll(async () => {
  await api?.close();
});

/** A GET with header lines exactly as given (node:http sends an array value as repeated lines). */
function get(pathname: string, token: string, headers: Record<string, string | string[]> = {}): Promise<{ status: number; body: { message?: string; reason?: string } }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${api.url}${pathname}`, { headers: { authorization: `Bearer ${token}`, ...headers } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as { message?: string } }));
    });
    request.on("error", reject);
  });
}

describe("impersonation in the emulator", () => {
  it("authorizes an impersonated person by their groups' grants, not the caller's", async () => {
    const asReader = { "impersonate-user": "jane", "impersonate-group": ["team-x", "bookinfo-readers"] };
    expect((await get("/api/v1/namespaces/bookinfo/pods", TOKENS.admin, asReader)).status).toBe(200);
    const elsewhere = await get("/api/v1/namespaces/mesh-lab/pods", TOKENS.admin, asReader);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.message).toContain('User "jane" cannot list resource "pods"');
  });

  it("reads every Impersonate-Group line, and does not split one line at commas", async () => {
    const joined = await get("/api/v1/namespaces/bookinfo/pods", TOKENS.admin, { "impersonate-user": "jane", "impersonate-group": "team-x, bookinfo-readers" });
    expect(joined.status).toBe(403);
  });

  it("gives a person without any grant nothing, though the caller is an admin", async () => {
    const nobody = await get("/api/v1/namespaces/bookinfo/pods", TOKENS.admin, { "impersonate-user": "stranger" });
    expect(nobody.status).toBe(403);
    expect(nobody.body.message).toContain('User "stranger"');
  });

  it("refuses a caller without the impersonate permission, naming what it may not impersonate", async () => {
    const refused = await get("/api/v1/namespaces/bookinfo/pods", TOKENS.viewer, { "impersonate-user": "admin" });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('users "admin" is forbidden: User "viewer" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it("refuses groups without a user", async () => {
    const refused = await get("/api/v1/namespaces/bookinfo/pods", TOKENS.admin, { "impersonate-group": "bookinfo-readers" });
    expect(refused.status).toBe(500);
    expect(refused.body.message).toContain("without impersonating a user");
  });

  it("answers access reviews for the impersonated person", async () => {
    const review = await new Promise<{ status?: { allowed?: boolean } }>((resolve, reject) => {
      const body = JSON.stringify({ apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: { verb: "list", resource: "pods", namespace: "mesh-lab" } } });
      const request = http.request(
        `${api.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`,
        { method: "POST", headers: { authorization: `Bearer ${TOKENS.admin}`, "content-type": "application/json", "impersonate-user": "jane", "impersonate-group": "bookinfo-readers" } },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (text += chunk));
          response.on("end", () => resolve(JSON.parse(text) as { status?: { allowed?: boolean } }));
        },
      );
      request.on("error", reject);
      request.end(body);
    });
    expect(review.status?.allowed).toBe(false);
  });
});
