/**
 * Users limited to some namespaces, as a person bound only by RoleBindings: what they may and may
 * not reach through the API.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTokensFile } from "./auth";
import { startKubeApi, type KubeApi } from "./index";

const BOOKINFO_TEAM = "bookinfo-team-token";
const BOOKINFO_ADMIN = "bookinfo-admin-token";
let api: KubeApi;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-api-auth-"));
  const tokensFile = path.join(dir, "tokens.yaml");
  await writeFile(
    tokensFile,
    [
      "users:",
      "- { name: admin, token: admin-token-1, role: admin }",
      "- { name: viewer, token: viewer-token-1, role: viewer }",
      `- { name: bookinfo-team, token: ${BOOKINFO_TEAM}, role: viewer, namespaces: [bookinfo] }`,
      `- { name: bookinfo-admin, token: ${BOOKINFO_ADMIN}, role: admin, namespaces: [bookinfo] }`,
    ].join("\n"),
  );
  api = await startKubeApi({ seed: [path.resolve(__dirname, "../manifests")], tokensFile });
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

async function status(method: string, urlPath: string, token: string, body?: unknown): Promise<number> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${api.url}${urlPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

describe("tokens file", () => {
  it("reads a user's namespaces and refuses an empty list", async () => {
    const users = await readTokensFile(path.join(dir, "tokens.yaml"));
    expect(users.find((user) => user.name === "bookinfo-team")?.namespaces).toEqual(["bookinfo"]);
    expect(users.find((user) => user.name === "viewer")?.namespaces).toBeUndefined();
    const empty = path.join(dir, "empty.yaml");
    await writeFile(empty, "users:\n- { name: a, token: aaaaaaaa, role: viewer, namespaces: [] }\n");
    await expect(readTokensFile(empty)).rejects.toThrow(/users\.0\.namespaces: .*at least one namespace/);
  });
});

describe("a user limited to bookinfo", () => {
  it("reads bookinfo but gets 403 in mesh-lab, as with a RoleBinding in bookinfo only", async () => {
    expect(await status("GET", "/api/v1/namespaces/bookinfo/pods?limit=1", BOOKINFO_TEAM)).toBe(200);
    expect(await status("GET", "/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices", BOOKINFO_TEAM)).toBe(200);
    expect(await status("GET", "/api/v1/namespaces/mesh-lab/pods?limit=1", BOOKINFO_TEAM)).toBe(403);
    expect(await status("GET", "/apis/networking.istio.io/v1/namespaces/mesh-lab/virtualservices", BOOKINFO_TEAM)).toBe(403);
  });

  it("gets 403 on cluster-wide lists, which no RoleBinding grants, but may read its own Namespace", async () => {
    expect(await status("GET", "/api/v1/pods?limit=1", BOOKINFO_TEAM)).toBe(403);
    expect(await status("GET", "/api/v1/namespaces", BOOKINFO_TEAM)).toBe(403);
    expect(await status("GET", "/api/v1/namespaces/bookinfo", BOOKINFO_TEAM)).toBe(200);
    expect(await status("GET", "/api/v1/namespaces/mesh-lab", BOOKINFO_TEAM)).toBe(403);
  });

  it("keeps the role's verbs inside its namespaces: a viewer still may not write there, an admin may not write elsewhere", async () => {
    const patch = { metadata: { labels: { touched: "yes" } } };
    const merge = (urlPath: string, token: string) =>
      fetch(`${api.url}${urlPath}`, { method: "PATCH", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/merge-patch+json" }, body: JSON.stringify(patch) }).then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      });
    expect(await merge("/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/bookinfo", BOOKINFO_TEAM)).toBe(403);
    expect(await merge("/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/bookinfo", BOOKINFO_ADMIN)).toBe(200);
    expect(await merge("/apis/networking.istio.io/v1/namespaces/mesh-lab/virtualservices/catalog", BOOKINFO_ADMIN)).toBe(403);
  });

  it("leaves users without namespaces unlimited", async () => {
    expect(await status("GET", "/api/v1/pods?limit=1", "viewer-token-1")).toBe(200);
    expect(await status("GET", "/api/v1/namespaces/mesh-lab/pods?limit=1", "viewer-token-1")).toBe(200);
  });
});
