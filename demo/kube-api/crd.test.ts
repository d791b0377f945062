/**
 * The Gateway API kinds over HTTP: served built in (schema from the models), then taken over by
 * CustomResourceDefinitions (schema, defaults and CEL rules from the CRD), and gone with their CRD.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "./index";

let api: KubeApi;

beforeEach(async () => {
  api = await startKubeApi();
  await namespace("default");
});

afterEach(async () => {
  await api?.close();
});

async function call(method: string, urlPath: string, body?: unknown, contentType = "application/json") {
  const headers: Record<string, string> = { Authorization: `Bearer ${api.tokens.admin}` };
  if (body !== undefined) headers["Content-Type"] = contentType;
  const res = await fetch(`${api.url}${urlPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON
}

const GW = "/apis/gateway.networking.k8s.io/v1";
const ROUTES = `${GW}/namespaces/default/httproutes`;

async function namespace(name: string) {
  await call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
}

const route = (name: string, spec: Record<string, unknown>) => ({ apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name }, spec });

describe("built-in Gateway API kinds", () => {
  it("are discovered with the CRDs' names, short names, categories, scope and status subresource", async () => {
    const list = await call("GET", GW);
    const byName = Object.fromEntries((list.body.resources as { name: string }[]).map((r) => [r.name, r]));
    expect(byName.gateways).toMatchObject({ kind: "Gateway", namespaced: true, shortNames: ["gtw"], categories: ["gateway-api"] });
    expect(byName.gatewayclasses).toMatchObject({ kind: "GatewayClass", namespaced: false, shortNames: ["gc"] });
    expect(byName.referencegrants).toMatchObject({ kind: "ReferenceGrant", shortNames: ["refgrant"] });
    expect(Object.keys(byName).sort()).toEqual(
      ["gatewayclasses", "gatewayclasses/status", "gateways", "gateways/status", "grpcroutes", "grpcroutes/status", "httproutes", "httproutes/status", "referencegrants", "tcproutes", "tcproutes/status", "tlsroutes", "tlsroutes/status"].sort(),
    );
    expect((await call("GET", "/apis/gateway.networking.k8s.io")).body.preferredVersion).toEqual({ groupVersion: `${GW.slice(6)}`, version: "v1" });
    expect((await call("GET", "/apis/gateway.networking.k8s.io/v1beta1")).body.resources.map((r: { name: string }) => r.name)).not.toContain("grpcroutes");
  });

  it("validate with the OpenAPI schema in kube-apiserver's words, and keep status out of main-resource writes", async () => {
    const bad = await call("POST", ROUTES, route("reviews", { parentRefs: [{ name: "gw" }], rules: [{ backendRefs: [{ name: "reviews", port: 99999 }] }] }));
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe('HTTPRoute.gateway.networking.k8s.io "reviews" is invalid: spec.rules[0].backendRefs[0].port: Invalid value: 99999: spec.rules[0].backendRefs[0].port in body should be less than or equal to 65535');

    const created = await call("POST", ROUTES, { ...route("reviews", { parentRefs: [{ name: "gw" }] }), status: { parents: [] } });
    expect(created.status).toBe(201);
    expect(created.body.metadata.generation).toBe(1);
    expect(created.body.status).toBeUndefined();

    const status = { parents: [{ parentRef: { name: "gw" }, controllerName: "istio.io/gateway-controller", conditions: [{ type: "Accepted", status: "True", reason: "Accepted", message: "", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 1 }] }] };
    const statusWrite = await call("PATCH", `${ROUTES}/reviews/status`, { status, spec: { hostnames: ["ignored.example.com"] } }, "application/merge-patch+json");
    expect(statusWrite.status).toBe(200);
    expect(statusWrite.body.status).toEqual(status);
    expect(statusWrite.body.spec.hostnames).toBeUndefined();
    expect(statusWrite.body.metadata.generation).toBe(1);

    const specWrite = await call("PATCH", `${ROUTES}/reviews`, [{ op: "add", path: "/spec/hostnames", value: ["reviews.example.com"] }, { op: "remove", path: "/status" }], "application/json-patch+json");
    expect(specWrite.body.metadata.generation).toBe(2);
    expect(specWrite.body.status).toEqual(status);
    const strategic = await call("PATCH", `${ROUTES}/reviews`, { spec: {} }, "application/strategic-merge-patch+json");
    expect(strategic.status).toBe(415);
  });

  it("serve ReferenceGrant at v1 and v1beta1 from one storage, and GatewayClass cluster-wide", async () => {
    await namespace("bookinfo");
    const grant = { apiVersion: "gateway.networking.k8s.io/v1beta1", kind: "ReferenceGrant", metadata: { name: "from-web" }, spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "web" }], to: [{ group: "", kind: "Service" }] } };
    expect((await call("POST", "/apis/gateway.networking.k8s.io/v1beta1/namespaces/bookinfo/referencegrants", grant)).status).toBe(201);
    expect((await call("GET", `${GW}/namespaces/bookinfo/referencegrants/from-web`)).body.apiVersion).toBe("gateway.networking.k8s.io/v1");
    const gc = await call("POST", `${GW}/gatewayclasses`, { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "istio" }, spec: { controllerName: "istio.io/gateway-controller" } });
    expect(gc.status).toBe(201);
    expect(gc.body.metadata.namespace).toBeUndefined();
    expect((await call("GET", `${GW}/namespaces/bookinfo/gatewayclasses/istio`)).status).toBe(404);
  });
});

/** A small CRD of the same shape as the Gateway API's: a defaulted field, a CEL rule, a transition rule. */
function widgetCrd(versions: { name: string; served: boolean; storage: boolean }[], rule = "self.size <= 10") {
  const schema = {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: { size: { type: "integer", default: 1 }, owner: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "owner is immutable" }] } },
        "x-kubernetes-validations": [{ rule, message: "size must be at most 10" }],
      },
      status: { type: "object", properties: { ready: { type: "boolean" } } },
    },
  };
  return crdOf("example.com", { plural: "widgets", singular: "widget", kind: "Widget", shortNames: ["wd"] }, versions, schema);
}

function crdOf(group: string, names: Record<string, unknown> & { plural: string }, versions: { name: string; served: boolean; storage: boolean }[], schema: unknown) {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${names.plural}.${group}` },
    spec: { group, scope: "Namespaced", names, versions: versions.map((v) => ({ ...v, schema: { openAPIV3Schema: schema }, subresources: { status: {} } })) },
  };
}

const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const WIDGETS = "/apis/example.com/v1/namespaces/default/widgets";

describe("CustomResourceDefinitions", () => {
  it("are established with the conditions kube-apiserver sets, and serve their kind per the CRD from then on", async () => {
    expect((await call("GET", WIDGETS)).status).toBe(404);
    const created = await call("POST", CRDS, widgetCrd([{ name: "v1", served: true, storage: true }, { name: "v1alpha1", served: false, storage: false }]));
    expect(created.status).toBe(201);
    const conditions = Object.fromEntries((created.body.status.conditions as { type: string; status: string; reason: string }[]).map((c) => [c.type, `${c.status}/${c.reason}`]));
    expect(conditions).toEqual({ NamesAccepted: "True/NoConflicts", Established: "True/InitialNamesAccepted" });
    expect(created.body.status.acceptedNames).toMatchObject({ plural: "widgets", kind: "Widget", listKind: "WidgetList" });
    expect(created.body.status.storedVersions).toEqual(["v1"]);

    expect((await call("GET", "/apis/example.com")).body.versions).toEqual([{ groupVersion: "example.com/v1", version: "v1" }]);
    expect((await call("GET", "/apis/example.com/v1alpha1/namespaces/default/widgets")).status).toBe(404);

    const widget = await call("POST", WIDGETS, { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { owner: "team-a" } });
    expect(widget.status).toBe(201);
    expect(widget.body.spec).toEqual({ owner: "team-a", size: 1 });

    const tooBig = await call("PATCH", `${WIDGETS}/w`, { spec: { size: 11 } }, "application/merge-patch+json");
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.message).toBe('Widget.example.com "w" is invalid: spec: Invalid value: "object": size must be at most 10');
    const ownerChange = await call("PATCH", `${WIDGETS}/w`, { spec: { owner: "team-b" } }, "application/merge-patch+json");
    expect(ownerChange.body.details.causes).toEqual([{ reason: "FieldValueInvalid", field: "spec.owner", message: 'Invalid value: "string": owner is immutable' }]);

    const unknown = await call("POST", `${WIDGETS}?fieldValidation=Strict`, { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "u" }, spec: { colour: "red" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('strict decoding error: unknown field "spec.colour"');
  });

  it("refuses a CRD whose CEL rule does not compile, and serves nothing for it", async () => {
    const refused = await call("POST", CRDS, widgetCrd([{ name: "v1", served: true, storage: true }], "self.size <= maxSize()"));
    expect(refused.status).toBe(422);
    expect(refused.body.details.causes[0]).toMatchObject({
      field: "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule",
      message: expect.stringContaining("undeclared reference to 'maxSize'"),
    });
    expect((await call("GET", WIDGETS)).status).toBe(404);
  });

  it("refuses annotations over kube-apiserver's 256 KiB total", async () => {
    const big = await call("POST", CRDS, { ...widgetCrd([{ name: "v1", served: true, storage: true }]), metadata: { name: "widgets.example.com", annotations: { note: "x".repeat(256 * 1024) } } });
    expect(big.status).toBe(422);
    expect(big.body.details.causes).toEqual([{ reason: "FieldValueTooLong", field: "metadata.annotations", message: "Too long: must have at most 262144 bytes" }]);
  });

  it("stops serving the kind and deletes its objects when the CRD is deleted", async () => {
    await call("POST", CRDS, widgetCrd([{ name: "v1", served: true, storage: true }]));
    await call("POST", WIDGETS, { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: {} });
    expect(api.count("widgets")).toBe(1);
    expect((await call("DELETE", `${CRDS}/widgets.example.com`)).status).toBe(200);
    expect((await call("GET", WIDGETS)).status).toBe(404);
    expect(api.count("widgets")).toBe(0);
    expect(((await call("GET", "/apis")).body.groups as { name: string }[]).map((g) => g.name)).not.toContain("example.com");
  });

  it("takes over a built-in Gateway API kind: the CRD's rules apply to it from then on", async () => {
    const pathRule = { type: "object", properties: { type: { type: "string" }, value: { type: "string" } }, "x-kubernetes-validations": [{ rule: "self.value.startsWith('/')", message: "value must be an absolute path" }] };
    const matches = { type: "array", items: { type: "object", properties: { path: pathRule } } };
    const schema = { type: "object", properties: { spec: { type: "object", properties: { rules: { type: "array", items: { type: "object", properties: { matches } } } } } } };
    const crd = crdOf("gateway.networking.k8s.io", { plural: "httproutes", singular: "httproute", kind: "HTTPRoute", categories: ["gateway-api"] }, [{ name: "v1", served: true, storage: true }], schema);
    const relative = route("r", { rules: [{ matches: [{ path: { type: "PathPrefix", value: "api" } }] }] });
    // The models' schema requires no absolute path, so the built-in kind accepts it.
    expect((await call("POST", `${ROUTES}?dryRun=All`, relative)).status).toBe(201);
    expect((await call("POST", CRDS, crd)).status).toBe(201);
    const refused = await call("POST", ROUTES, relative);
    expect(refused.status).toBe(422);
    expect(refused.body.details.causes).toEqual([{ reason: "FieldValueInvalid", field: "spec.rules[0].matches[0].path", message: 'Invalid value: "object": value must be an absolute path' }]);
    expect((await call("GET", "/apis/gateway.networking.k8s.io/v1beta1/namespaces/default/httproutes")).status).toBe(404);
  });
});
