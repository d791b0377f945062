/**
 * SelfSubjectAccessReview as kube-apiserver answers it: for the caller's own token, by the same
 * roles and namespace limits that decide real requests, in JSON or protobuf, storing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "./index";

const TOKENS = { admin: "review-admin-token", viewer: "review-viewer-token", team: "review-bookinfo-team", teamAdmin: "review-bookinfo-admin" };
const REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
let api: KubeApi;
let requests: string[] = [];

beforeAll(async () => {
  api = await startKubeApi({
    users: [
      { name: "admin", token: TOKENS.admin, role: "admin" },
      { name: "viewer", token: TOKENS.viewer, role: "viewer" },
      { name: "bookinfo-team", token: TOKENS.team, role: "viewer", namespaces: ["bookinfo"] },
      { name: "bookinfo-admin", token: TOKENS.teamAdmin, role: "admin", namespaces: ["bookinfo"] },
    ],
    onRequest: (method, url) => requests.push(`${method} ${url}`),
  });
});

afterAll(async () => {
  await api?.close();
});

interface ReviewAnswer {
  code: number;
  body: { kind?: string; status?: { allowed: boolean; denied?: boolean; reason?: string }; message?: string; reason?: string };
}

async function post(token: string | undefined, body: BodyInit, contentType = "application/json"): Promise<ReviewAnswer> {
  const headers: Record<string, string> = { "Content-Type": contentType, Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${api.url}${REVIEWS}`, { method: "POST", headers, body });
  return { code: response.status, body: (await response.json()) as ReviewAnswer["body"] };
}

function review(spec: object): string {
  return JSON.stringify({ apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec });
}

async function allowed(token: string, resourceAttributes: object): Promise<boolean | undefined> {
  const answer = await post(token, review({ resourceAttributes }));
  expect(answer.code).toBe(201);
  return answer.body.status?.allowed;
}

const updateVs = (namespace: string) => ({ namespace, verb: "update", group: "networking.istio.io", resource: "virtualservices", name: "bookinfo" });

describe("SelfSubjectAccessReview", () => {
  it("answers for the caller's role and namespaces, as the requests themselves would be decided", async () => {
    const table: [string, string, object, boolean][] = [
      ["admin", TOKENS.admin, updateVs("mesh-lab"), true],
      ["viewer", TOKENS.viewer, updateVs("bookinfo"), false],
      ["viewer", TOKENS.viewer, { verb: "list", resource: "pods" }, true],
      ["bookinfo-team", TOKENS.team, { namespace: "bookinfo", verb: "list", resource: "pods" }, true],
      ["bookinfo-team", TOKENS.team, { namespace: "mesh-lab", verb: "list", resource: "pods" }, false],
      ["bookinfo-team", TOKENS.team, { verb: "list", resource: "pods" }, false],
      ["bookinfo-team", TOKENS.team, { verb: "get", resource: "namespaces", name: "bookinfo" }, true],
      ["bookinfo-team", TOKENS.team, { verb: "list", resource: "namespaces" }, false],
      ["bookinfo-admin", TOKENS.teamAdmin, updateVs("bookinfo"), true],
      ["bookinfo-admin", TOKENS.teamAdmin, updateVs("mesh-lab"), false],
      ["viewer", TOKENS.viewer, { namespace: "bookinfo", verb: "*", group: "*", resource: "*" }, false],
    ];
    for (const [who, token, attributes, expected] of table) {
      expect(`${who} ${JSON.stringify(attributes)} → ${await allowed(token, attributes)}`).toBe(`${who} ${JSON.stringify(attributes)} → ${expected}`);
    }
  });

  it("names the RBAC grant when allowed and, like RBAC, gives no reason and no explicit denial otherwise", async () => {
    const yes = await post(TOKENS.teamAdmin, review({ resourceAttributes: updateVs("bookinfo") }));
    expect(yes.body).toMatchObject({ kind: "SelfSubjectAccessReview", status: { allowed: true, reason: 'RBAC: allowed by RoleBinding "mesh-console-demo:bookinfo-admin/bookinfo" of ClusterRole "cluster-admin" to User "bookinfo-admin"' } });
    const no = await post(TOKENS.viewer, review({ resourceAttributes: updateVs("bookinfo") }));
    expect(no.body.status).toEqual({ allowed: false });
  });

  it("answers non-resource paths: discovery for everyone, the rest for cluster admins", async () => {
    const ask = async (token: string, path: string, verb: string) => (await post(token, review({ nonResourceAttributes: { path, verb } }))).body.status?.allowed;
    expect(await ask(TOKENS.team, "/apis/networking.istio.io", "get")).toBe(true);
    expect(await ask(TOKENS.viewer, "/emulator/fail-next-write", "post")).toBe(false);
    expect(await ask(TOKENS.admin, "/emulator/fail-next-write", "post")).toBe(true);
  });

  it("reads the protobuf body client-go sends and answers in JSON", async () => {
    const answer = await post(TOKENS.viewer, protobufReview({ namespace: "bookinfo", verb: "list", group: "", resource: "pods" }), "application/vnd.kubernetes.protobuf");
    expect(answer.code).toBe(201);
    expect(answer.body.status?.allowed).toBe(true);
    const denied = await post(TOKENS.viewer, protobufReview({ namespace: "bookinfo", verb: "delete", group: "networking.istio.io", resource: "virtualservices" }), "application/vnd.kubernetes.protobuf");
    expect(denied.body.status?.allowed).toBe(false);
  });

  it("refuses what kube-apiserver refuses: no token, a GET, a spec with both or neither kind of attributes", async () => {
    expect((await post(undefined, review({ resourceAttributes: updateVs("bookinfo") }))).code).toBe(401);
    const get = await fetch(`${api.url}${REVIEWS}`, { headers: { Authorization: `Bearer ${TOKENS.admin}` } });
    await get.arrayBuffer();
    expect(get.status).toBe(405);
    const neither = await post(TOKENS.admin, review({}));
    expect(neither.code).toBe(422);
    expect(neither.body.message).toContain("exactly one of nonResourceAttributes or resourceAttributes must be specified");
    const both = await post(TOKENS.admin, review({ resourceAttributes: updateVs("bookinfo"), nonResourceAttributes: { path: "/api", verb: "get" } }));
    expect(both.code).toBe(422);
    expect((await post(TOKENS.admin, JSON.stringify({ apiVersion: "v1", kind: "Pod", spec: {} }))).code).toBe(400);
  });

  it("is listed in discovery and stores nothing", async () => {
    const headers = { Authorization: `Bearer ${TOKENS.viewer}` };
    const groups = (await (await fetch(`${api.url}/apis`, { headers })).json()) as { groups: { name: string }[] };
    expect(groups.groups.map((group) => group.name)).toContain("authorization.k8s.io");
    const resources = (await (await fetch(`${api.url}/apis/authorization.k8s.io/v1`, { headers })).json()) as { resources: { name: string; verbs: string[] }[] };
    expect(resources.resources).toEqual([expect.objectContaining({ name: "selfsubjectaccessreviews", verbs: ["create"] })]);
    const list = await fetch(`${api.url}/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices`, { headers });
    await list.arrayBuffer();
    requests = [];
    await post(TOKENS.admin, review({ resourceAttributes: updateVs("bookinfo") }));
    expect(requests).toEqual([`POST ${REVIEWS}`]);
  });
});

/** Protobuf as client-go encodes a review: the k8s\0 envelope around runtime.Unknown{typeMeta, raw}. */
function protobufReview(attributes: Record<"namespace" | "verb" | "group" | "resource", string>): Uint8Array<ArrayBuffer> {
  const varint = (value: number) => {
    const bytes: number[] = [];
    let rest = value;
    while (rest >= 0x80) {
      bytes.push((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    bytes.push(rest);
    return Buffer.from(bytes);
  };
  const field = (number: number, value: Buffer | string) => {
    const bytes = typeof value === "string" ? Buffer.from(value) : value;
    return Buffer.concat([varint(number * 8 + 2), varint(bytes.length), bytes]);
  };
  const resourceAttributes = Buffer.concat([field(1, attributes.namespace), field(2, attributes.verb), field(3, attributes.group), field(4, ""), field(5, attributes.resource), field(6, ""), field(7, "")]);
  const spec = field(1, resourceAttributes);
  const raw = Buffer.concat([field(1, Buffer.alloc(0)), field(2, spec), field(3, Buffer.from([0x08, 0x00]))]);
  const typeMeta = Buffer.concat([field(1, "authorization.k8s.io/v1"), field(2, "SelfSubjectAccessReview")]);
  return Uint8Array.from(Buffer.concat([Buffer.from("k8s\0"), field(1, typeMeta), field(2, raw)]));
}
