import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigWriteError } from "@/server/kube/writes";
import { mutationRoute } from "./mutations";

const route = mutationRoute("/test", async (request: Request) => {
  const body = z.object({ yaml: z.string() }).parse(await request.json());
  if (body.yaml === "refuse") throw new ConfigWriteError("view-only", 403, "view-only");
  return Response.json({ ok: true });
});

function put(headers: Record<string, string>, body = JSON.stringify({ yaml: "kind: VirtualService" })): Promise<Response> {
  return route(new Request("http://console.test/test", { method: "PUT", headers, body }), {});
}

describe("routes that change the cluster", () => {
  it("refuse requests without the same-origin header, as a cross-site form would send them", async () => {
    const response = await put({ "content-type": "application/json" });
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toContain("x-mesh-console: 1");
  });

  it("refuse bodies that are not JSON with 415", async () => {
    const response = await put({ "x-mesh-console": "1", "content-type": "text/plain" }, "kind: VirtualService");
    expect(response.status).toBe(415);
  });

  it("pass a JSON request with the header to the handler, and map the console's own refusals", async () => {
    expect((await put({ "x-mesh-console": "1", "content-type": "application/json; charset=utf-8" })).status).toBe(200);
    const refused = await put({ "x-mesh-console": "1", "content-type": "application/json" }, JSON.stringify({ yaml: "refuse" }));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.reason).toBe("view-only");
  });
});
