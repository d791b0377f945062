import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { gatewayApiCrdsDir } from "./corpus";
import { applySchemaDefaults, compileSchemaRules, pruneBySchema, structuralSchemaSchema, validateBySchema, type StructuralSchema } from "./structural-schema";

const routeSchema: StructuralSchema = {
  type: "object",
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["parentRefs"],
      properties: {
        parentRefs: {
          type: "array",
          maxItems: 2,
          items: {
            type: "object",
            required: ["name"],
            properties: {
              group: { type: "string", default: "gateway.networking.k8s.io" },
              kind: { type: "string", default: "Gateway" },
              name: { type: "string", minLength: 1, maxLength: 8 },
              namespace: { type: "string" },
              port: { type: "integer", minimum: 1, maximum: 65535 },
            },
            "x-kubernetes-validations": [{ rule: "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true", message: "Must have port for Service reference" }],
          },
        },
        rules: {
          type: "array",
          default: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }] }],
          items: {
            type: "object",
            properties: {
              matches: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    path: {
                      type: "object",
                      properties: { type: { type: "string", enum: ["Exact", "PathPrefix"], default: "PathPrefix" }, value: { type: "string", default: "/", pattern: "^/" } },
                    },
                  },
                },
              },
              timeout: { type: "string", format: "date-time" },
              weight: { "x-kubernetes-int-or-string": true },
              extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
              labels: { type: "object", additionalProperties: { type: "string" } },
            },
          },
        },
        controllerName: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "Value is immutable" }] },
        listeners: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { type: "object", properties: { name: { type: "string" }, port: { type: "integer" } } },
          "x-kubernetes-validations": [{ rule: "self.all(l, l.port != 0)", message: "port must be set", fieldPath: ".port", reason: "FieldValueRequired" }],
        },
        optional: { type: "string", nullable: true },
      },
    },
  },
};

const route = (spec: Record<string, unknown>) => ({ apiVersion: "example.com/v1", kind: "Route", metadata: { name: "r" }, spec });

describe("defaults", () => {
  it("fills absent fields top-down, including inside a defaulted object, and never replaces a given value", () => {
    const defaulted = applySchemaDefaults(routeSchema, route({ parentRefs: [{ name: "gw" }, { name: "svc", group: "", kind: "Service" }] })) as { spec: Record<string, unknown> };
    expect(defaulted.spec.parentRefs).toEqual([
      { name: "gw", group: "gateway.networking.k8s.io", kind: "Gateway" },
      { name: "svc", group: "", kind: "Service" },
    ]);
    expect(defaulted.spec.rules).toEqual([{ matches: [{ path: { type: "PathPrefix", value: "/" } }] }]);
  });

  it("drops a null the schema does not allow, or replaces it by the default", () => {
    const defaulted = applySchemaDefaults(routeSchema, route({ parentRefs: [{ name: "gw", kind: null, port: null }], optional: null })) as { spec: Record<string, unknown> };
    expect(defaulted.spec.parentRefs).toEqual([{ name: "gw", kind: "Gateway", group: "gateway.networking.k8s.io" }]);
    expect(defaulted.spec.optional).toBeNull();
  });
});

describe("pruning", () => {
  it("names unknown fields as strict decoding does and removes them, keeping preserved and map fields", () => {
    const result = pruneBySchema(routeSchema, route({ parentRefs: [{ name: "gw", color: "red" }], rules: [{ extra: { anything: 1 }, labels: { a: "b" } }], bogus: true }));
    expect(result.unknown).toEqual(["spec.parentRefs[0].color", "spec.bogus"]);
    expect(result.value).toEqual(route({ parentRefs: [{ name: "gw" }], rules: [{ extra: { anything: 1 }, labels: { a: "b" } }] }));
  });
});

describe("schema checks, worded as kube-apiserver words them", () => {
  const causes = (spec: Record<string, unknown>, old?: Record<string, unknown>) => validateBySchema(routeSchema, route(spec), old ? route(old) : undefined).map((c) => `${c.field}: ${c.message}`);

  it("accepts a fitting object", () => {
    expect(causes({ parentRefs: [{ name: "gw", group: "gateway.networking.k8s.io", kind: "Gateway" }], rules: [{ weight: "50%" }] })).toEqual([]);
  });

  it("reports types, enums, patterns, bounds, formats, required fields and duplicates", () => {
    expect(
      causes({
        parentRefs: [{ name: "much-too-long", port: 70000, group: "g", kind: "Gateway" }, { name: "", port: "80", group: "g", kind: "Gateway" }, { group: "g", kind: "Gateway" }],
        rules: [{ matches: [{ path: { type: "Regex", value: "api" } }], timeout: "soon", weight: 1.5 }],
        listeners: [{ name: "http", port: 80 }, { name: "http", port: 81 }],
      }),
    ).toEqual([
      "spec.parentRefs: Too many: 3: must have at most 2 items",
      "spec.parentRefs[0].name: Too long: may not be more than 8 bytes",
      "spec.parentRefs[0].port: Invalid value: 70000: spec.parentRefs[0].port in body should be less than or equal to 65535",
      'spec.parentRefs[1].name: Invalid value: "": spec.parentRefs[1].name in body should be at least 1 chars long',
      'spec.parentRefs[1].port: Invalid value: "string": spec.parentRefs[1].port in body must be of type integer: "string"',
      "spec.parentRefs[2].name: Required value",
      'spec.rules[0].matches[0].path.type: Unsupported value: "Regex": supported values: "Exact", "PathPrefix"',
      "spec.rules[0].matches[0].path.value: Invalid value: \"api\": spec.rules[0].matches[0].path.value in body should match '^/'",
      'spec.rules[0].timeout: Invalid value: "soon": spec.rules[0].timeout in body must be of type date-time: "soon"',
      'spec.rules[0].weight: Invalid value: "number": spec.rules[0].weight in body must be of type integer,string: "number"',
      'spec.listeners[1]: Duplicate value: map[string]interface {}{"name":"http"}',
    ]);
    expect(causes({})).toEqual(["spec.parentRefs: Required value"]);
  });
});

describe("CEL rules", () => {
  const causes = (spec: Record<string, unknown>, old?: Record<string, unknown>) => validateBySchema(routeSchema, route(spec), old ? route(old) : undefined).map((c) => `${c.field}: ${c.message}`);

  it("reports a failed rule at its node with the rule's message", () => {
    expect(causes({ parentRefs: [{ name: "svc", group: "", kind: "Service" }] })).toEqual(['spec.parentRefs[0]: Invalid value: "object": Must have port for Service reference']);
    expect(causes({ parentRefs: [{ name: "svc", group: "", kind: "Service", port: 8080 }] })).toEqual([]);
  });

  it("uses the rule's fieldPath and reason", () => {
    expect(causes({ parentRefs: [{ name: "gw", group: "g", kind: "Gateway" }], listeners: [{ name: "http", port: 0 }] })).toEqual(["spec.listeners.port: Required value: port must be set"]);
  });

  it("runs transition rules on updates only", () => {
    const base = { parentRefs: [{ name: "gw", group: "g", kind: "Gateway" }] };
    expect(causes({ ...base, controllerName: "other" })).toEqual([]);
    expect(causes({ ...base, controllerName: "istio.io/gateway-controller" }, { ...base, controllerName: "istio.io/gateway-controller" })).toEqual([]);
    expect(causes({ ...base, controllerName: "other" }, { ...base, controllerName: "istio.io/gateway-controller" })).toEqual(['spec.controllerName: Invalid value: "string": Value is immutable']);
  });

  it("does not run the rules of an object that fails its schema", () => {
    expect(causes({ parentRefs: [{ name: "svc", group: "", kind: "Service", port: "x" }] })).toEqual([
      'spec.parentRefs[0].port: Invalid value: "string": spec.parentRefs[0].port in body must be of type integer: "string"',
    ]);
  });

  it("refuses a schema whose rule does not compile, naming where the rule is", () => {
    const problems = compileSchemaRules({ type: "object", properties: { spec: { type: "object", "x-kubernetes-validations": [{ rule: "isHostname(self.name)" }] } } });
    expect(problems).toEqual([{ path: "openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule", rule: "isHostname(self.name)", error: "compilation failed: undeclared reference to 'isHostname'" }]);
  });
});

const crdsDir = gatewayApiCrdsDir();
if (!crdsDir) console.warn("structural-schema.test.ts: the Gateway API CRD checks skipped: ../shared/corpus/gateway-api-crds is not next to the repository");

describe.skipIf(!crdsDir)("the Gateway API v1.6.1 CRDs", () => {
  const crds = readdirSync(crdsDir ?? ".")
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(path.join(crdsDir ?? ".", f), "utf8")).map((d) => d.toJS() as { spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: unknown } }[] } }));

  it("have schemas this server reads, and every CEL rule of every version compiles", () => {
    expect(crds.map((c) => c.spec.names.kind).sort()).toEqual(["BackendTLSPolicy", "GRPCRoute", "Gateway", "GatewayClass", "HTTPRoute", "ReferenceGrant", "TCPRoute", "TLSRoute"]);
    let rules = 0;
    for (const crd of crds) {
      for (const version of crd.spec.versions) {
        const schema = structuralSchemaSchema.parse(version.schema.openAPIV3Schema);
        const count = (node: unknown): number =>
          typeof node !== "object" || node === null ? 0 : Object.entries(node).reduce((n, [k, v]) => n + (k === "x-kubernetes-validations" && Array.isArray(v) ? v.length : count(v)), 0);
        rules += count(schema);
        expect(compileSchemaRules(schema, `${crd.spec.names.kind} ${version.name}`)).toEqual([]);
      }
    }
    // The standard channel's CRDs carry over a hundred rules across their versions.
    expect(rules).toBeGreaterThan(100);
  });

  it("default an HTTPRoute's parentRef, backendRef and match as a cluster does, and enforce their CEL rules", () => {
    const httpRoute = crds.find((c) => c.spec.names.kind === "HTTPRoute");
    const schema = structuralSchemaSchema.parse(httpRoute?.spec.versions.find((v) => v.name === "v1")?.schema.openAPIV3Schema);
    const object = route({ parentRefs: [{ name: "bookinfo-gateway" }], rules: [{ backendRefs: [{ name: "reviews-v1", port: 9080 }] }] });
    const defaulted = applySchemaDefaults(schema, object) as { spec: { parentRefs: unknown[]; rules: unknown[] } };
    expect(defaulted.spec.parentRefs[0]).toEqual({ name: "bookinfo-gateway", group: "gateway.networking.k8s.io", kind: "Gateway" });
    expect(defaulted.spec.rules[0]).toEqual({ backendRefs: [{ name: "reviews-v1", port: 9080, group: "", kind: "Service", weight: 1 }], matches: [{ path: { type: "PathPrefix", value: "/" } }] });
    expect(validateBySchema(schema, defaulted, undefined)).toEqual([]);

    const redirectWithBackends = applySchemaDefaults(schema, route({ parentRefs: [{ name: "gw" }], rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https" } }], backendRefs: [{ name: "web", port: 80 }] }] })) as Record<string, unknown>;
    expect(validateBySchema(schema, redirectWithBackends, undefined)).toEqual([{ reason: "FieldValueInvalid", field: "spec.rules[0]", message: 'Invalid value: "object": RequestRedirect filter must not be used together with backendRefs' }]);
  });
});
