import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { PEER_AUTHENTICATION } from "@/lib/istio/peerAuthentication";
import { refusal } from "@/server/http/testRefusal";
import { withKubeClients, type KubeClients } from "@/server/kube";
import { clientsFor, DEMO_MANIFESTS } from "@/server/kube/testCluster";
import { VIEW_ONLY_MESSAGE } from "@/server/kube/writes";
import { PREVIOUS_SPEC_ANNOTATION } from "@/server/routing/history";
import { CREATED_BY_LABEL, CREATED_BY_VALUE } from "@/server/routing/istioObjects";
import { changeMtls, type MtlsChangeDeps } from "./mtlsEnforce";

/** The demo's namespace on its way to STRICT (demo/manifests/40-payments.yaml). */
const NAMESPACE = "payments";
const { group, version, plural } = PEER_AUTHENTICATION;

type StoredPolicy = { metadata: { resourceVersion: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec: { mtls?: { mode?: string } } };

let api: KubeApi;
let admin: KubeClients;
let deps: MtlsChangeDeps;
/** Real (not dry-run) writes of PeerAuthentications the emulator served, in order. */
let writes: string[] = [];

async function stored(): Promise<StoredPolicy | null> {
  try {
    return (await admin.custom.getNamespacedCustomObject({ group, version, plural, namespace: NAMESPACE, name: "default" })) as StoredPolicy;
  } catch {
    return null;
  }
}

/** The change as the route makes it, with the clients kube() answers set to the admin's. */
function change(action: "enforce" | "rollback", options: { dryRun?: boolean; deps?: MtlsChangeDeps } = {}) {
  return withKubeClients(admin, () => changeMtls({ action, namespace: NAMESPACE, dryRun: options.dryRun ?? false }, options.deps ?? deps));
}

beforeAll(async () => {
  api = await startKubeApi({
    seed: [DEMO_MANIFESTS],
    onRequest: (method, url, status) => {
      const path = new URL(url, "http://x").pathname;
      if (method !== "GET" && !url.includes("dryRun") && path.includes("/peerauthentications")) writes.push(`${method} ${status}`);
    },
  });
  admin = clientsFor(api.url, api.tokens.admin);
  deps = { clients: admin, viewOnly: false };
});

afterAll(async () => {
  await api?.close();
});

beforeEach(async () => {
  if (await stored()) await admin.custom.deleteNamespacedCustomObject({ group, version, plural, namespace: NAMESPACE, name: "default" });
  writes = [];
});

describe("enforcing STRICT mutual TLS for a namespace", () => {
  it("writes nothing on a dry run, and shows the policy it would create", async () => {
    const result = await change("enforce", { dryRun: true });
    expect(result).toMatchObject({ action: "create", dryRun: true, namespace: NAMESPACE, name: "default", before: null, conflicts: [] });
    expect(result.after).toContain("mode: STRICT");
    expect(await stored()).toBeNull();
    expect(writes).toEqual([]);
  });

  it("creates `default` with mode STRICT, marked as the console's, with nothing before it to restore", async () => {
    const result = await change("enforce");
    expect(result).toMatchObject({ action: "create", dryRun: false });
    const policy = await stored();
    expect(policy?.spec).toEqual({ mtls: { mode: "STRICT" } });
    expect(policy?.metadata.labels?.[CREATED_BY_LABEL]).toBe(CREATED_BY_VALUE);
    expect(policy?.metadata.annotations?.[PREVIOUS_SPEC_ANNOTATION]).toBe("null");
    expect(writes).toEqual(["POST 201"]);
  });

  it("changes nothing when enforced again", async () => {
    await change("enforce");
    const before = await stored();
    writes = [];
    const again = await change("enforce");
    expect(again.action).toBe("unchanged");
    expect(writes).toEqual([]);
    expect((await stored())?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it("is refused in view-only mode, writing nothing", async () => {
    const { status, message } = await refusal(change("enforce", { deps: { clients: admin, viewOnly: true } }));
    expect(status).toBe(403);
    expect(message).toBe(VIEW_ONLY_MESSAGE);
    expect(await stored()).toBeNull();
  });
});

describe("rolling the console's change back", () => {
  it("deletes the policy the console created", async () => {
    await change("enforce");
    writes = [];
    const result = await change("rollback");
    expect(result).toMatchObject({ action: "delete", after: null });
    expect(await stored()).toBeNull();
    expect(writes).toEqual(["DELETE 200"]);
  });

  it("restores the spec a policy had before, keeping the policy someone else wrote", async () => {
    await admin.custom.createNamespacedCustomObject({
      group,
      version,
      plural,
      namespace: NAMESPACE,
      body: { apiVersion: `${group}/${version}`, kind: "PeerAuthentication", metadata: { name: "default", namespace: NAMESPACE, labels: { team: "payments" } }, spec: { mtls: { mode: "PERMISSIVE" } } },
    });
    const enforced = await change("enforce");
    expect(enforced.action).toBe("replace");
    const strict = await stored();
    expect(strict?.spec).toEqual({ mtls: { mode: "STRICT" } });
    expect(strict?.metadata.labels).toEqual({ team: "payments" });
    expect(JSON.parse(strict?.metadata.annotations?.[PREVIOUS_SPEC_ANNOTATION] ?? "")).toEqual({ mtls: { mode: "PERMISSIVE" } });

    const rolledBack = await change("rollback");
    expect(rolledBack.action).toBe("replace");
    const restored = await stored();
    expect(restored?.spec).toEqual({ mtls: { mode: "PERMISSIVE" } });
    expect(restored?.metadata.annotations?.[PREVIOUS_SPEC_ANNOTATION]).toBeUndefined();
    expect(restored?.metadata.labels).toEqual({ team: "payments" });
  });

  it("will not delete a policy the console did not create", async () => {
    await admin.custom.createNamespacedCustomObject({
      group,
      version,
      plural,
      namespace: NAMESPACE,
      body: { apiVersion: `${group}/${version}`, kind: "PeerAuthentication", metadata: { name: "default", namespace: NAMESPACE, annotations: { [PREVIOUS_SPEC_ANNOTATION]: "null" } }, spec: { mtls: { mode: "STRICT" } } },
    });
    const { status, message } = await refusal(change("rollback"));
    expect(status).toBe(400);
    expect(message).toContain("was not created by the console");
    expect(await stored()).not.toBeNull();
  });
});
