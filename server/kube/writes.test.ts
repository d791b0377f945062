import { stringify } from "yaml";
import type { KubeClients } from "./index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeError } from "./errors";
import { changedBySomeoneElse, ConfigWriteError, createIstioObject, deleteIstioObject, parseEditedYaml, refuseInViewOnly, replaceIstioObject, VIEW_ONLY_MESSAGE, viewOnlyRefusal, type WriteContext } from "./writes";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { clientsFor, DEMO_MANIFESTS } from "./testCluster";

const VS = { group: "networking.istio.io", version: "v1", plural: "virtualservices" };
const catalogRef = { kind: "VirtualService", namespace: "mesh-lab", name: "catalog" } as const;

type VirtualService = { metadata: { resourceVersion: string; name: string }; spec: { http: { route: { destination: { subset?: string }; weight?: unknown }[] }[] } };

let api: KubeApi;
let admin: KubeClients;
let context: WriteContext;

async function readCatalog(): Promise<VirtualService> {
  return (await admin.custom.getNamespacedCustomObject({ ...VS, namespace: "mesh-lab", name: "catalog" })) as VirtualService;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the write to be refused");
    },
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  api = await startKubeApi({ seed: [DEMO_MANIFESTS] });
  admin = clientsFor(api.url, api.tokens.admin);
  context = { clients: admin, viewOnly: false };
});

afterAll(async () => {
  await api?.close();
});

describe("replacing an Istio object", () => {
  it("saves the edit when nobody changed the object since it was read", async () => {
    const read = await readCatalog();
    read.spec.http[0]!.route[1]!.destination.subset = "v1";
    const result = await replaceIstioObject(context, catalogRef, stringify(read), read.metadata.resourceVersion);
    expect(result.dryRun).toBe(false);
    expect((await readCatalog()).spec.http[0]!.route[1]!.destination.subset).toBe("v1");
  });

  it("refuses with a conflict, writing nothing, when someone else changed the object in between", async () => {
    const opened = await readCatalog();
    const theirs = await readCatalog();
    theirs.spec.http[0]!.route[0]!.weight = 80;
    theirs.spec.http[0]!.route[1]!.weight = 20;
    await admin.custom.replaceNamespacedCustomObject({ ...VS, namespace: "mesh-lab", name: "catalog", body: theirs });

    opened.spec.http[0]!.route[1]!.destination.subset = "v3";
    const error = await failure(replaceIstioObject(context, catalogRef, stringify(opened), opened.metadata.resourceVersion));
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).httpStatus).toBe(409);
    expect((error as KubeError).message).toBe("VirtualService mesh-lab/catalog was changed by someone else since you opened it; reload to see the new version");
    const stored = await readCatalog();
    expect(stored.spec.http[0]!.route[1]!.destination.subset).toBe("v1");
    expect(stored.spec.http[0]!.route[1]!.weight).toBe(20);
  });

  it("refuses a weight written as a string with 422 naming the field", async () => {
    const read = await readCatalog();
    read.spec.http[0]!.route[0]!.weight = "80";
    const error = await failure(replaceIstioObject(context, catalogRef, stringify(read), read.metadata.resourceVersion));
    expect(error).toBeInstanceOf(ConfigWriteError);
    expect((error as ConfigWriteError).status).toBe(422);
    expect((error as ConfigWriteError).fields).toContainEqual({ field: "spec.http[0].route[0].weight", message: "must be of type integer" });
    expect((await readCatalog()).spec.http[0]!.route[0]!.weight).toBe(80);
  });

  it("keeps the API server's causes when it refuses the object itself", async () => {
    const read = await readCatalog();
    const badLabel = { ...read, metadata: { ...read.metadata, labels: { version: "not a label value!" } } };
    const error = await failure(replaceIstioObject(context, catalogRef, stringify(badLabel), read.metadata.resourceVersion, { dryRun: true }));
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).httpStatus).toBe(422);
    expect((error as KubeError).causes.map((cause) => cause.field)).toContainEqual(expect.stringMatching(/^metadata\.labels/));
  });

  it("refuses fields Istio does not know instead of silently dropping them", async () => {
    const read = await readCatalog();
    const withUnknownField = { ...read, spec: { ...read.spec, hostz: ["catalog"] } };
    const error = await failure(replaceIstioObject(context, catalogRef, stringify(withUnknownField), read.metadata.resourceVersion, { dryRun: true }));
    expect((error as KubeError).message).toContain('unknown field "spec.hostz"');
  });

  it("only checks on a dry run: the API server answers, nothing is stored", async () => {
    const read = await readCatalog();
    read.spec.http[0]!.route[0]!.weight = 50;
    read.spec.http[0]!.route[1]!.weight = 50;
    const result = await replaceIstioObject(context, catalogRef, stringify(read), read.metadata.resourceVersion, { dryRun: true });
    expect(result.dryRun).toBe(true);
    expect((result.object as unknown as VirtualService).spec.http[0]!.route[0]!.weight).toBe(50);
    const stored = await readCatalog();
    expect(stored.spec.http[0]!.route[0]!.weight).toBe(80);
    expect(stored.metadata.resourceVersion).toBe(read.metadata.resourceVersion);
  });

  it("refuses an object that is not the one being edited", async () => {
    const read = await readCatalog();
    const renamed = { ...read, metadata: { ...read.metadata, name: "catalog-copy" } };
    const error = await failure(replaceIstioObject(context, catalogRef, stringify(renamed), read.metadata.resourceVersion));
    expect((error as ConfigWriteError).status).toBe(400);
    expect((error as ConfigWriteError).message).toContain("metadata.name: must be catalog");
  });
});

describe("view-only mode", () => {
  it("refuses every write with 403 and stores nothing", async () => {
    const viewOnly = { clients: admin, viewOnly: true };
    const read = await readCatalog();
    for (const attempt of [
      replaceIstioObject(viewOnly, catalogRef, stringify(read), read.metadata.resourceVersion),
      createIstioObject(viewOnly, { kind: "VirtualService", namespace: "mesh-lab" }, stringify({ ...read, metadata: { name: "other" } })),
      deleteIstioObject(viewOnly, catalogRef, read.metadata.resourceVersion),
    ]) {
      const error = await failure(attempt);
      expect((error as ConfigWriteError).status).toBe(403);
      expect((error as ConfigWriteError).message).toContain("view-only");
    }
    expect((await readCatalog()).metadata.resourceVersion).toBe(read.metadata.resourceVersion);
  });
});

describe("creating and deleting", () => {
  const yaml = stringify({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "web-canary" }, spec: { hosts: ["web"], http: [{ route: [{ destination: { host: "web" } }] }] } });
  const ref = { kind: "VirtualService", namespace: "mesh-lab", name: "web-canary" } as const;

  it("creates in the namespace of the URL, and refuses a second object with the same name", async () => {
    const created = await createIstioObject(context, { kind: "VirtualService", namespace: "mesh-lab" }, yaml);
    expect(created.object.metadata.namespace).toBe("mesh-lab");
    const error = await failure(createIstioObject(context, { kind: "VirtualService", namespace: "mesh-lab" }, yaml));
    expect((error as KubeError).failure).toBe("already-exists");
  });

  it("deletes only at the resourceVersion the person saw", async () => {
    const stale = await failure(deleteIstioObject(context, ref, "1"));
    expect((stale as KubeError).httpStatus).toBe(409);
    expect((stale as KubeError).message).toContain("changed by someone else");
    const current = (await admin.custom.getNamespacedCustomObject({ ...VS, namespace: "mesh-lab", name: "web-canary" })) as VirtualService;
    await deleteIstioObject(context, ref, current.metadata.resourceVersion);
    const gone = await failure(admin.custom.getNamespacedCustomObject({ ...VS, namespace: "mesh-lab", name: "web-canary" }));
    expect((gone as { code?: number }).code).toBe(404);
  });
});

describe("the one wording of a refusal", () => {
  it("answers a write to an object deleted since it was read with 409 'was deleted by someone else'", async () => {
    const gone = { kind: "VirtualService", namespace: "mesh-lab", name: "never-there" } as const;
    const error = await failure(deleteIstioObject(context, gone, "1"));
    expect((error as KubeError).httpStatus).toBe(409);
    expect((error as KubeError).message).toBe("VirtualService mesh-lab/never-there was deleted by someone else since you opened it; reload to see the new version");
  });

  it("refuses in view-only mode with the guard's own words", () => {
    expect(() => refuseInViewOnly(true)).toThrow(VIEW_ONLY_MESSAGE);
    expect(viewOnlyRefusal()).toMatchObject({ status: 403, reason: "view-only", message: VIEW_ONLY_MESSAGE });
    expect(changedBySomeoneElse({ kind: "AuthorizationPolicy", namespace: "a", name: "b" }, "created")).toMatchObject({ httpStatus: 409, failure: "conflict" });
  });
});

describe("reading YAML from the editor", () => {
  it("refuses a billion-laughs document instead of expanding it", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const next = String.fromCharCode(97 + level);
      lines.push(`${next}: &${next} [*${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}]`);
    }
    lines.push("metadata: {name: boom}");
    const error = (() => {
      try {
        parseEditedYaml(lines.join("\n"));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigWriteError);
    expect((error as ConfigWriteError).status).toBe(400);
  });

  it("refuses custom tags and more than one document", () => {
    expect(() => parseEditedYaml("metadata: !!js/function 'return 1'\n")).toThrow(ConfigWriteError);
    expect(() => parseEditedYaml("metadata: {name: a}\n---\nmetadata: {name: b}\n")).toThrow(/exactly one YAML document/);
  });
});

describe("Gateway API objects, through the same write path", () => {
  const HTTP_ROUTE = { group: "gateway.networking.k8s.io", version: "v1", plural: "httproutes" };
  const GATEWAY_CLASS = { group: "gateway.networking.k8s.io", version: "v1", plural: "gatewayclasses" };
  type Route = { metadata: { resourceVersion: string }; spec: { rules: { backendRefs: { name: string; weight?: number }[] }[] } };

  it("saves an HTTPRoute's new weights at the version read, and refuses a weight of the wrong type naming the field", async () => {
    const read = (await admin.custom.getNamespacedCustomObject({ ...HTTP_ROUTE, namespace: "storefront", name: "catalog" })) as Route;
    const backends = read.spec.rules[0]!.backendRefs;
    backends[0]!.weight = 60;
    backends[1]!.weight = 40;
    const ref = { kind: "HTTPRoute", namespace: "storefront", name: "catalog" } as const;
    await replaceIstioObject(context, ref, stringify(read), read.metadata.resourceVersion);
    const stored = (await admin.custom.getNamespacedCustomObject({ ...HTTP_ROUTE, namespace: "storefront", name: "catalog" })) as Route;
    expect(stored.spec.rules[0]!.backendRefs.map((backend) => backend.weight)).toEqual([60, 40]);

    (stored.spec.rules[0]!.backendRefs[1] as { weight: unknown }).weight = "forty";
    const error = await failure(replaceIstioObject(context, ref, stringify(stored), stored.metadata.resourceVersion));
    expect(error).toBeInstanceOf(ConfigWriteError);
    expect((error as ConfigWriteError).message).toContain("does not match the Gateway API schema");
    expect((error as ConfigWriteError).fields).toContainEqual({ field: "spec.rules[0].backendRefs[1].weight", message: "must be of type integer" });
  });

  it("creates and deletes a cluster-scoped GatewayClass, addressed without a namespace", async () => {
    const yaml = stringify({ apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "unit-class" }, spec: { controllerName: "example.com/gateway-controller" } });
    const created = await createIstioObject(context, { kind: "GatewayClass", namespace: "" }, yaml);
    expect(created.object.metadata.namespace).toBeUndefined();
    const stored = (await admin.custom.getClusterCustomObject({ ...GATEWAY_CLASS, name: "unit-class" })) as { metadata: { resourceVersion: string } };
    await deleteIstioObject(context, { kind: "GatewayClass", namespace: "", name: "unit-class" }, stored.metadata.resourceVersion);
    await expect(admin.custom.getClusterCustomObject({ ...GATEWAY_CLASS, name: "unit-class" })).rejects.toThrow();
  });

  it("never takes the Gateway API's Gateway for Istio's", async () => {
    const yaml = stringify({ apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "mixed-up" }, spec: { gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] } });
    const error = await failure(createIstioObject(context, { kind: "Gateway", namespace: "storefront" }, yaml, { dryRun: true }));
    expect((error as ConfigWriteError).fields[0]?.field).toBe("apiVersion");
    const checked = await createIstioObject(context, { kind: "K8sGateway", namespace: "storefront" }, yaml, { dryRun: true });
    expect(checked.dryRun).toBe(true);
  });
});
