import { describe, expect, it } from "vitest";
import { applyMergePatch, applyPatch, patchTypeOf, strategicMerge } from "./patch";
import { RESOURCE_TYPES } from "./resources";
import { ApiError } from "./status";

const deployment = RESOURCE_TYPES.find((t) => t.kind === "Deployment");
const virtualService = RESOURCE_TYPES.find((t) => t.kind === "VirtualService");
if (!deployment || !virtualService) throw new Error("resource types missing");

describe("patch content types", () => {
  it("maps content types to patch kinds, refusing strategic merge for custom resources", () => {
    expect(patchTypeOf("application/merge-patch+json", virtualService)).toBe("merge");
    expect(patchTypeOf("application/json-patch+json; charset=utf-8", virtualService)).toBe("json");
    expect(patchTypeOf("application/strategic-merge-patch+json", deployment)).toBe("strategic");
    expect(() => patchTypeOf("application/strategic-merge-patch+json", virtualService)).toThrowError(expect.objectContaining({ code: 415 }));
    expect(() => patchTypeOf("application/apply-patch+yaml", virtualService)).toThrowError(expect.objectContaining({ code: 415 }));
  });
});

describe("JSON merge patch (RFC 7386)", () => {
  it("merges objects, replaces lists and deletes on null", () => {
    const current = { spec: { hosts: ["a"], gateways: ["g"], http: [{ route: [1] }] }, metadata: { labels: { a: "1", b: "2" } } };
    const patched = applyMergePatch(current, { spec: { hosts: ["b", "c"], gateways: null }, metadata: { labels: { b: null, c: "3" } } });
    expect(patched).toEqual({ spec: { hosts: ["b", "c"], http: [{ route: [1] }] }, metadata: { labels: { a: "1", c: "3" } } });
    expect(current.spec.hosts).toEqual(["a"]);
  });
});

describe("strategic merge patch", () => {
  const current = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: "app", image: "app:1", ports: [{ containerPort: 8080 }] },
            { name: "istio-proxy", image: "proxy:1" },
          ],
        },
      },
    },
  };

  it("merges containers by name instead of replacing the list", () => {
    const patched = strategicMerge(current, { spec: { template: { spec: { containers: [{ name: "app", image: "app:2" }] } } } }) as typeof current;
    expect(patched.spec.template.spec.containers).toEqual([
      { name: "app", image: "app:2", ports: [{ containerPort: 8080 }] },
      { name: "istio-proxy", image: "proxy:1" },
    ]);
  });

  it("honours $patch: delete and $setElementOrder", () => {
    const patched = strategicMerge(current, {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "istio-proxy" }, { name: "app" }],
            containers: [{ name: "sidecar", $patch: "delete" }, { name: "app", $patch: "delete" }],
          },
        },
      },
    }) as typeof current;
    expect(patched.spec.template.spec.containers.map((c) => c.name)).toEqual(["istio-proxy"]);
  });
});

describe("JSON patch", () => {
  it("applies operations and reports an unapplicable one as 422", () => {
    const doc = { spec: { http: [{ route: [{ weight: 80 }, { weight: 20 }] }] } };
    const patched = applyPatch("json", doc, [{ op: "replace", path: "/spec/http/0/route/0/weight", value: 50 }]);
    expect(patched).toEqual({ spec: { http: [{ route: [{ weight: 50 }, { weight: 20 }] }] } });
    expect(doc.spec.http[0]?.route[0]?.weight).toBe(80);
    try {
      applyPatch("json", doc, [{ op: "replace", path: "/spec/tcp/0", value: 1 }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe(422);
    }
    expect(() => applyPatch("json", doc, { op: "replace" })).toThrowError(expect.objectContaining({ code: 400 }));
  });
});
