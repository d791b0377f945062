/**
 * pods/log over HTTP as client libraries see it: Status refusals, text/plain bodies, a follow
 * stream that carries pushed lines and ends with the pod, and the emulator-only push endpoint.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "./index";

const MANIFESTS = path.resolve(import.meta.dirname, "../manifests");
const TEAM_TOKEN = "bookinfo-team-token";
let api: KubeApi;
let detailsPod: string;

async function get(pathname: string, token = api.tokens.admin): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${api.url}${pathname}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

function logPath(pod: string, query = ""): string {
  return `/api/v1/namespaces/bookinfo/pods/${pod}/log${query ? `?${query}` : ""}`;
}

beforeAll(async () => {
  api = await startKubeApi({
    seed: [path.join(MANIFESTS, "00-namespaces.yaml"), path.join(MANIFESTS, "20-bookinfo.yaml")],
    users: [
      { name: "admin", token: "admin-token-123", role: "admin" },
      { name: "viewer", token: "viewer-token-123", role: "viewer" },
      { name: "bookinfo-team", token: TEAM_TOKEN, role: "viewer", namespaces: ["bookinfo"] },
    ],
  });
  const pods = JSON.parse((await get("/api/v1/namespaces/bookinfo/pods?labelSelector=app%3Ddetails")).text) as { items: { metadata: { name: string } }[] };
  detailsPod = pods.items[0]?.metadata.name ?? "";
  api.appendPodLog(
    [0, 1, 2].map((i) => ({ namespace: "bookinfo", pod: detailsPod, container: "istio-proxy", time: `2025-01-02T03:04:0${i}.000Z`, line: `proxy ${i}` })),
  );
});

afterAll(async () => {
  await api?.close();
});

describe("GET pods/{name}/log", () => {
  it("answers text/plain with the container's lines, timestamps on request", async () => {
    const plain = await get(logPath(detailsPod, "container=istio-proxy&tailLines=2"));
    expect([plain.status, plain.type, plain.text]).toEqual([200, "text/plain", "proxy 1\nproxy 2\n"]);
    const stamped = await get(logPath(detailsPod, "container=istio-proxy&timestamps=true&limitBytes=40"));
    expect(stamped.text).toBe("2025-01-02T03:04:00.000000000Z proxy 0\n2");
    expect((await get(logPath(detailsPod, "container=details"))).text).toBe("");
  });

  it("refuses as kube-apiserver does: no container on a two-container pod, a wrong container, a missing pod", async () => {
    const unnamed = await get(logPath(detailsPod));
    expect(unnamed.status).toBe(400);
    expect(JSON.parse(unnamed.text)).toMatchObject({
      kind: "Status",
      reason: "BadRequest",
      message: `a container name must be specified for pod ${detailsPod}, choose one of: [details istio-proxy] or one of the init containers: [istio-init]`,
    });
    expect(JSON.parse((await get(logPath(detailsPod, "container=envoy"))).text)).toMatchObject({ code: 400, message: `container envoy is not valid for pod ${detailsPod}` });
    expect(JSON.parse((await get(logPath("nope", "container=x"))).text)).toMatchObject({ code: 404, reason: "NotFound", message: 'pods "nope" not found' });
    expect((await get(logPath(detailsPod, "container=details&previous=true"))).status).toBe(400);
    expect((await get(logPath(detailsPod, "container=details&tailLines=-3"))).status).toBe(422);
  });

  it("lets a namespace-limited user read logs in its namespace only", async () => {
    expect((await get(logPath(detailsPod, "container=istio-proxy"), TEAM_TOKEN)).status).toBe(200);
    const elsewhere = await get("/api/v1/namespaces/istio-system/pods/istiod-x/log", TEAM_TOKEN);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.text).toContain('cannot get resource \\"pods/log\\" in API group \\"\\" in the namespace \\"istio-system\\"');
  });

  it("lists pods/log in discovery with the get verb", async () => {
    const resources = JSON.parse((await get("/api/v1")).text) as { resources: { name: string; verbs: string[] }[] };
    expect(resources.resources.find((r) => r.name === "pods/log")?.verbs).toEqual(["get"]);
  });

  it("streams new lines with follow=true and ends when the pod is deleted", async () => {
    const res = await fetch(`${api.url}${logPath(detailsPod, "container=istio-proxy&follow=true&tailLines=1")}`, { headers: { authorization: `Bearer ${api.tokens.admin}` } });
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (wanted: string) => {
      while (reader && !text.includes(wanted)) {
        const { value, done } = await reader.read();
        if (done) return false;
        text += decoder.decode(value, { stream: true });
      }
      return true;
    };
    expect(await readUntil("proxy 2\n")).toBe(true);
    api.appendPodLog([{ namespace: "bookinfo", pod: detailsPod, container: "istio-proxy", time: new Date().toISOString(), line: "proxy live" }]);
    expect(await readUntil("proxy live\n")).toBe(true);
    const deleted = await fetch(`${api.url}/api/v1/namespaces/bookinfo/pods/${detailsPod}`, { method: "DELETE", headers: { authorization: `Bearer ${api.tokens.admin}` } });
    expect(deleted.status).toBe(200);
    expect(await readUntil("never")).toBe(false);
    expect(text).toBe("proxy 2\nproxy live\n");
  });
});

describe("POST /emulator/pod-logs", () => {
  const post = (body: unknown, token = api.tokens.admin) =>
    fetch(`${api.url}/emulator/pod-logs`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });

  it("takes the admin's lines, counting those for pods or containers that do not exist", async () => {
    const pods = JSON.parse((await get("/api/v1/namespaces/bookinfo/pods?labelSelector=app%3Dratings")).text) as { items: { metadata: { name: string } }[] };
    const ratings = pods.items[0]?.metadata.name ?? "";
    const time = "2025-01-02T03:04:05.000Z";
    const res = await post({
      entries: [
        { namespace: "bookinfo", pod: ratings, container: "ratings", time, line: "GET /ratings/0 200 3ms" },
        { namespace: "bookinfo", pod: ratings, container: "sidecar", time, line: "x" },
        { namespace: "bookinfo", pod: "gone", container: "ratings", time, line: "x" },
      ],
    });
    expect([res.status, await res.json()]).toEqual([200, { appended: 1, unknown: 2, overCapacity: 0 }]);
    expect((await get(logPath(ratings, "container=ratings"))).text).toBe("GET /ratings/0 200 3ms\n");
  });

  it("refuses the viewer, a malformed body and multi-line entries", async () => {
    expect((await post({ entries: [] }, api.tokens.viewer)).status).toBe(403);
    expect((await post({ entries: [{ namespace: "bookinfo" }] })).status).toBe(400);
    const multiLine = await post({ entries: [{ namespace: "bookinfo", pod: "p", container: "c", time: "2025-01-02T03:04:05Z", line: "a\nb" }] });
    expect(((await multiLine.json()) as { message: string }).message).toBe("pod-logs: entries.0.line: must be one line (no newline)");
  });
});
