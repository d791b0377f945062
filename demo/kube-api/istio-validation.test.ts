/**
 * Istio object validation, and a check that the schemas it relies on agree with Istio's own
 * CRDs (../shared/corpus/istio-crds, skipped when absent) on the cases the emulator depends on.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { fieldPathOf } from "@/lib/istio/schema";
import { istioBodySchemaOf, validateIstioObject } from "./istio-validation";
import { unknownFields, type SchemaNode } from "./unknown-fields";

function canary(weight: unknown, extraSpec: Record<string, unknown> = {}) {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews", namespace: "bookinfo" },
    spec: {
      hosts: ["reviews"],
      http: [{ route: [{ destination: { host: "reviews", subset: "v1" }, weight }, { destination: { host: "reviews", subset: "v2" }, weight: 20 }] }],
      ...extraSpec,
    },
  };
}

describe("validateIstioObject", () => {
  it("accepts a valid canary route", () => {
    expect(validateIstioObject("VirtualService", canary(80))).toEqual([]);
  });

  it("names the field of a weight given as a string", () => {
    const causes = validateIstioObject("VirtualService", canary("80"));
    expect(causes).toEqual([
      {
        reason: "FieldValueTypeInvalid",
        field: "spec.http[0].route[0].weight",
        message: 'Invalid value: "80": spec.http[0].route[0].weight in body must be of type integer: "80"',
      },
    ]);
  });

  it("rejects a value outside an enum, e.g. a PeerAuthentication mode", () => {
    const causes = validateIstioObject("PeerAuthentication", { kind: "PeerAuthentication", metadata: { name: "default" }, spec: { mtls: { mode: "STRICTEST" } } });
    expect(causes[0]?.field).toBe("spec.mtls.mode");
    expect(causes[0]?.reason).toBe("FieldValueNotSupported");
  });

  it("reports unknown fields with their paths against the kind's schema", () => {
    const schema = istioBodySchemaOf("VirtualService");
    const object = canary(80, { timeout: "1s" });
    (object.spec.http[0] as Record<string, unknown>).retriez = { attempts: 3 };
    expect(unknownFields(schema, object)).toEqual(["spec.http[0].retriez", "spec.timeout"]);
  });

  it("turns JSON pointers into Kubernetes field paths", () => {
    expect(fieldPathOf("/spec/http/0/route/1/weight")).toBe("spec.http[0].route[1].weight");
    expect(fieldPathOf("/metadata/labels/app.kubernetes.io~1name")).toBe("metadata.labels.app.kubernetes.io/name");
  });
});

const CRD_FILE = path.resolve(__dirname, "../../../shared/corpus/istio-crds/crd-all.gen.yaml");
const haveCrds = existsSync(CRD_FILE);
if (!haveCrds) console.warn(`istio-validation.test.ts: CRD agreement skipped: ${CRD_FILE} not found (../shared is absent)`);

function crdSchema(plural: string, version: string): SchemaNode & Record<string, unknown> {
  for (const doc of parseAllDocuments(readFileSync(CRD_FILE, "utf8"))) {
    const crd = doc.toJS() as { spec?: { names?: { plural?: string }; versions?: { name: string; schema: { openAPIV3Schema: SchemaNode & Record<string, unknown> } }[] } } | null;
    if (crd?.spec?.names?.plural !== plural) continue;
    const served = crd.spec.versions?.find((v) => v.name === version);
    if (served) return served.schema.openAPIV3Schema;
  }
  throw new Error(`no ${plural} ${version} schema in ${CRD_FILE}`);
}

describe.skipIf(!haveCrds)("agreement with Istio's CRD schemas", () => {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const virtualServiceCrd = crdSchema("virtualservices", "v1");
  const validateWithCrd = ajv.compile(virtualServiceCrd);

  it("both accept a valid VirtualService", () => {
    expect(validateWithCrd(canary(80))).toBe(true);
    expect(validateIstioObject("VirtualService", canary(80))).toEqual([]);
    // The API server itself supplies apiVersion, kind and metadata to every CRD schema; compare spec.
    expect(unknownFields(virtualServiceCrd, canary(80)).filter((f) => f.startsWith("spec"))).toEqual([]);
    expect(unknownFields(istioBodySchemaOf("VirtualService"), canary(80))).toEqual([]);
  });

  it("both reject a weight given as a string, at the same field", () => {
    expect(validateWithCrd(canary("80"))).toBe(false);
    const crdFields = (validateWithCrd.errors ?? []).map((e) => fieldPathOf(e.instancePath));
    expect(crdFields).toContain("spec.http[0].route[0].weight");
    expect(validateIstioObject("VirtualService", canary("80")).map((c) => c.field)).toEqual(["spec.http[0].route[0].weight"]);
  });

  it("both find the same unknown fields in spec", () => {
    const object = canary(80, { mirrorPercent: 5 });
    (object.spec.http[0]?.route[0]?.destination as Record<string, unknown>).hots = "typo";
    const fromCrd = unknownFields(virtualServiceCrd, object).filter((f) => f.startsWith("spec")).sort();
    expect(fromCrd).toEqual(["spec.http[0].route[0].destination.hots", "spec.mirrorPercent"]);
    expect(unknownFields(istioBodySchemaOf("VirtualService"), object).sort()).toEqual(fromCrd);
  });

  it("both accept DestinationRule subsets as the demo seeds them", () => {
    const rule = { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "reviews" }, spec: { host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" } }] } };
    expect(ajv.compile(crdSchema("destinationrules", "v1"))(rule)).toBe(true);
    expect(validateIstioObject("DestinationRule", rule)).toEqual([]);
  });
});
